/** A searchable palette; drag an item onto the canvas (or press Enter to add it). */
import { useState } from "react";
import { PALETTE } from "../asl/edit";
import { PATTERNS } from "../asl/patterns";
import { DRAG_TYPE } from "./Canvas";

export function Palette({ onAdd, onAddPattern, readOnly }: { onAdd: (id: string) => void; onAddPattern: (id: string) => void; readOnly: boolean }) {
  const [query, setQuery] = useState("");
  const q = query.trim().toLowerCase();
  const items = PALETTE.filter((p) => !q || p.label.toLowerCase().includes(q) || p.description.toLowerCase().includes(q));
  return (
    <aside className="palette" aria-label="Palette">
      <input className="palette-search" placeholder="Search states…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search the palette" />
      {(["Flow", "Actions"] as const).map((group) => {
        const list = items.filter((i) => i.group === group);
        if (!list.length) return null;
        return (
          <section key={group}>
            <h3>{group}</h3>
            {list.map((item) => (
              <div
                key={item.id}
                className={`palette-item type-${item.type.toLowerCase()}`}
                draggable={!readOnly}
                tabIndex={0}
                role="button"
                aria-disabled={readOnly}
                data-testid={`palette-${item.id}`}
                title={item.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, item.id);
                  e.dataTransfer.effectAllowed = "copy";
                }}
                onKeyDown={(e) => !readOnly && (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onAdd(item.id))}
                onDoubleClick={() => !readOnly && onAdd(item.id)}
              >
                <span className="palette-label">{item.label}</span>
                <span className="palette-desc">{item.description}</span>
              </div>
            ))}
          </section>
        );
      })}
      {PATTERNS.some((p) => !q || p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q)) && (
        <section>
          <h3>Patterns</h3>
          {PATTERNS.filter((p) => !q || p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q)).map((p) => (
            <div
              key={p.id}
              className="palette-item palette-pattern"
              draggable={!readOnly}
              tabIndex={0}
              role="button"
              aria-disabled={readOnly}
              data-testid={`palette-pattern-${p.id}`}
              title={p.description}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, `pattern:${p.id}`);
                e.dataTransfer.effectAllowed = "copy";
              }}
              onKeyDown={(e) => !readOnly && (e.key === "Enter" || e.key === " ") && (e.preventDefault(), onAddPattern(p.id))}
              onDoubleClick={() => !readOnly && onAddPattern(p.id)}
            >
              <span className="palette-label">{p.name}</span>
              <span className="palette-desc">{p.description}</span>
            </div>
          ))}
        </section>
      )}
    </aside>
  );
}
