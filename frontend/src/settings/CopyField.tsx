/** A read-only value with a Copy button. */
import { useState } from "react";

export function CopyField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const el = document.querySelector<HTMLInputElement>(`input[aria-label="${CSS.escape(label)}"]`);
      el?.select();
      document.execCommand?.("copy");
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="copy-row">
      <input className="code" readOnly value={value} aria-label={label} onFocus={(e) => e.target.select()} />
      <button type="button" onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</button>
    </div>
  );
}
