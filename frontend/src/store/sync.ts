/** Autosave of the draft (debounced PUT with the revision) and live validation. */
import { api, ApiError, type Draft } from "../api/client";
import { designer } from "./designer";

export const SAVE_DELAY = 800;
export const VALIDATE_DELAY = 400;

export function startSync(): () => void {
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let saving = false;
  let validating = 0;
  let stopped = false;

  const scheduleSave = (delay = SAVE_DELAY) => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, delay);
  };
  const scheduleValidate = () => {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validate, VALIDATE_DELAY);
  };

  async function save() {
    const s = designer.getState();
    if (stopped || !s.workflow || s.readOnly || s.saveStatus === "conflict" || s.saveStatus === "saved") return;
    if (saving) return scheduleSave();
    saving = true;
    const sent = s.changes;
    s.markSaving();
    try {
      const res = await api.saveDraft(s.workflow.id, { definition: s.text, layout: s.layout, revision: s.revision });
      designer.getState().markSaved(res.draft, sent);
      if (Array.isArray(res.diagnostics) && designer.getState().changes === sent) designer.getState().setDiagnostics(res.diagnostics);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const draft = (e.details as { draft?: Draft } | null)?.draft;
        if (draft) designer.getState().markConflict(draft);
        else designer.getState().markError(e.message);
      } else {
        designer.getState().markError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      saving = false;
    }
    if (designer.getState().saveStatus === "dirty") scheduleSave();
  }

  async function validate() {
    const s = designer.getState();
    if (stopped || !s.workflow) return;
    const ticket = ++validating;
    try {
      const res = await api.validate(s.text);
      if (ticket === validating && !stopped) designer.getState().setDiagnostics(res.diagnostics ?? []);
    } catch {
      // the draft PUT reports diagnostics too; a failed validation call is not fatal
    }
  }

  const unsubscribe = designer.subscribe((s, prev) => {
    if (s.workflow?.id !== prev.workflow?.id) {
      scheduleValidate();
      return;
    }
    if (s.changes !== prev.changes && s.saveStatus === "dirty") scheduleSave();
    if (s.text !== prev.text) scheduleValidate();
  });
  const beforeUnload = (ev: BeforeUnloadEvent) => {
    const st = designer.getState().saveStatus;
    if (st === "dirty" || st === "saving" || st === "conflict") ev.preventDefault();
  };
  window.addEventListener("beforeunload", beforeUnload);
  scheduleValidate();

  return () => {
    stopped = true;
    // flush a pending save before leaving the page
    if (designer.getState().saveStatus === "dirty") {
      stopped = false;
      void save().finally(() => (stopped = true));
    }
    clearTimeout(saveTimer);
    clearTimeout(validateTimer);
    unsubscribe();
    window.removeEventListener("beforeunload", beforeUnload);
  };
}
