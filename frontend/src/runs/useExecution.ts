/** Follow one execution: its detail, and its history through the incremental history API. */
import { useEffect, useRef, useState } from "react";
import { runsApi, type ChildrenPage, type ExecutionDetail, type HistoryEvent, type HistoryPage } from "../api/runs";
import { childrenKey } from "./breakpoints";

export const POLL_MS = 1000;
/** the history API's page size (its cap) */
const PAGE = 1000;
/** the live iterations listed (the counts cover them all) */
export const CHILDREN_SHOWN = 500;

export interface Followed {
  execution: ExecutionDetail | null;
  events: HistoryEvent[];
  /** the Map iterations or Parallel branches it waits for now, before their events join the history */
  children: ChildrenPage | null;
  done: boolean;
  error: string | null;
  /** ask for the detail and the next events now (after Stop, Approve …) */
  refresh: () => void;
}

export function useExecution(id: number): Followed {
  const [execution, setExecution] = useState<ExecutionDetail | null>(null);
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [children, setChildren] = useState<ChildrenPage | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let after = 0;
    let timer: number | undefined;
    let all: HistoryEvent[] = [];
    let lastStatus = "";
    let detail: ExecutionDetail | null = null;
    let childrenLive = false;
    let lastChildren = "";
    setExecution(null);
    setEvents([]);
    setChildren(null);
    setDone(false);
    setError(null);

    let forceDetail = false;
    let polls = 0;
    let inflight = false;
    let again = false;
    const poll = async () => {
      window.clearTimeout(timer);
      if (inflight) {
        again = true;
        return;
      }
      inflight = true;
      let finished = false;
      try {
        let changed = false;
        let page: HistoryPage;
        const append = (p: HistoryPage) => {
          if (!p.events.length) return;
          all = all.concat(p.events);
          after = p.next_after;
          changed = true;
        };
        // catch up in pages of up to 1,000 events, then one request a second
        page = await runsApi.history(id, after);
        if (stopped) return;
        append(page);
        while (page.events.length >= PAGE && !page.done) {
          // show what is here while the rest comes
          setEvents(all);
          // a long history: the next pages side by side, since event ids run 1, 2, 3 …
          const from = after;
          const pages = await Promise.all([0, 1, 2, 3].map((k) => runsApi.history(id, from + k * PAGE)));
          if (stopped) return;
          let consecutive = true;
          for (const p of pages) {
            if (p.events.length && p.events[0].id !== after + 1) {
              consecutive = false;
              break;
            }
            append(p);
            page = p;
            if (p.events.length < PAGE || p.done) break;
          }
          if (!consecutive) {
            page = await runsApi.history(id, after);
            if (stopped) return;
            append(page);
          }
        }
        if (changed) setEvents(all);
        polls++;
        // the detail also brings waiting callbacks and child progress, which add no events: every 3 s
        let readDetail = false;
        if (changed || page.status !== lastStatus || page.done || forceDetail || polls % 3 === 0) {
          readDetail = true;
          lastStatus = page.status;
          forceDetail = false;
          detail = await runsApi.execution(id);
          if (stopped) return;
          setExecution(detail);
        }
        // children run on other workers: follow them every poll while the execution waits for some
        if (childrenLive || (page.status === "RUNNING" && (detail?.children?.RUNNING ?? 0) > 0)) {
          const found = await runsApi.children(id, CHILDREN_SHOWN);
          if (stopped) return;
          childrenLive = found.live && page.status === "RUNNING";
          setChildren(childrenLive ? found : null);
          // an iteration paused or went on: the detail's paused list changed with it (the panel shows at once)
          const key = childrenKey(childrenLive ? found : null);
          if (key !== lastChildren && !readDetail) {
            detail = await runsApi.execution(id);
            if (stopped) return;
            setExecution(detail);
          }
          lastChildren = key;
        }
        setError(null);
        if (page.done) {
          setDone(true);
          finished = true;
        }
      } catch (e) {
        if (!stopped) setError(e instanceof Error ? e.message : String(e));
      } finally {
        inflight = false;
      }
      if (stopped) return;
      if (again) {
        again = false;
        void poll();
      } else if (!finished) timer = window.setTimeout(() => void poll(), POLL_MS);
    };
    kick.current = () => {
      if (stopped) return;
      forceDetail = true;
      void poll();
    };
    void runsApi.execution(id).then(
      (d) => {
        if (stopped) return;
        detail = d;
        setExecution(d);
      },
      (e: unknown) => !stopped && setError(e instanceof Error ? e.message : String(e)),
    );
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [id]);

  return { execution, events, children, done, error, refresh: () => kick.current() };
}
