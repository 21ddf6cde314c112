/** Import ASL (JSON or YAML) or a CloudFormation/SAM template, by pasting or uploading. */
import { useMemo, useState } from "react";
import { detectFormat, parseText, serialize } from "../asl/document";
import { findDefinitions } from "../asl/importer";
import { isObject } from "../asl/types";

export function ImportDialog({ onClose, onImport }: { onClose: () => void; onImport: (name: string, definition: string) => void }) {
  const [text, setText] = useState("");
  const [pick, setPick] = useState(0);
  const [name, setName] = useState("");
  const result = useMemo(() => (text.trim() ? findDefinitions(text) : null), [text]);
  const chosen = result?.found[pick];

  const load = async (file: File) => {
    setText(await file.text());
    setPick(0);
    setName(file.name.replace(/\.(asl\.)?(json|ya?ml|template)$/i, ""));
  };

  const submit = () => {
    if (!chosen) return;
    // plain ASL keeps its text exactly as written (comments included); templates give canonical JSON
    const parsed = parseText(text);
    const isPlainAsl = parsed.ok && isObject(parsed.value) && isObject(parsed.value.States);
    const definition = isPlainAsl ? text : serialize(chosen.definition, detectFormat(text) === "yaml" ? "yaml" : "json");
    onImport(name.trim() || chosen.name, definition);
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <form className="modal" role="dialog" aria-label="Import" onClick={(e) => e.stopPropagation()} onSubmit={(e) => (e.preventDefault(), submit())}>
        <header>
          <h2>Import a workflow</h2>
          <button type="button" onClick={onClose} aria-label="Close">✕</button>
        </header>
        <p className="hint">Paste an ASL definition (JSON or YAML) or a CloudFormation / SAM template, or upload a file.</p>
        <input type="file" accept=".json,.yaml,.yml,.template,.txt" aria-label="Upload a file" onChange={(e) => e.target.files?.[0] && void load(e.target.files[0])} />
        <textarea
          className="import-text"
          rows={14}
          value={text}
          onChange={(e) => (setText(e.target.value), setPick(0))}
          placeholder={'{\n  "StartAt": "Hello",\n  "States": { "Hello": { "Type": "Pass", "End": true } }\n}'}
          aria-label="Definition or template"
          spellCheck={false}
        />
        {result?.error && <p className="error">{result.error}</p>}
        {result && result.found.length > 1 && (
          <label>
            State machine
            <select value={pick} onChange={(e) => setPick(Number(e.target.value))}>
              {result.found.map((f, i) => <option key={i} value={i}>{f.name}</option>)}
            </select>
          </label>
        )}
        {chosen && (
          <>
            <p className="hint">{Object.keys(chosen.definition.States as object).length} states found.</p>
            <label>
              Name
              <input value={name} placeholder={chosen.name} onChange={(e) => setName(e.target.value)} />
            </label>
          </>
        )}
        <div className="row">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={!chosen}>Import</button>
        </div>
      </form>
    </div>
  );
}
