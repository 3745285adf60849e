import { useState } from 'react';
import { type AttributeNode, toAttributeTree } from '../model/attribute-tree.ts';
import styles from './AttributeTree.module.css';

export function AttributeTree({ attributes, label }: { attributes: Record<string, unknown>; label: string }) {
  const nodes = toAttributeTree(attributes);
  if (nodes.length === 0) return <p className="muted">No attributes.</p>;
  return (
    <div className={styles.attrTree} role="tree" aria-label={label}>
      {nodes.map((node) => (
        <AttributeTreeItem key={node.path} node={node} depth={1} />
      ))}
    </div>
  );
}

function AttributeTreeItem({ node, depth }: { node: AttributeNode; depth: number }) {
  const [open, setOpen] = useState(depth < 3);
  if (!node.children) {
    return (
      <div role="treeitem" aria-level={depth} aria-selected={false} className={styles.attrLeaf} title={node.path}>
        <span className={styles.attrKey}>{node.key}</span>
        <span className={styles.attrValue} data-type={node.valueType}>
          {node.valueType === 'string' ? `"${node.value}"` : node.value}
        </span>
      </div>
    );
  }
  return (
    <div role="treeitem" aria-level={depth} aria-expanded={open} aria-selected={false} className={styles.attrBranch}>
      <button type="button" className={styles.attrToggle} onClick={() => setOpen(!open)} title={node.path}>
        <span className="chevron" data-open={open} aria-hidden="true" />
        <span className={styles.attrKey}>{node.key}</span>
        {!open && <span className="muted"> {node.children.length} fields</span>}
      </button>
      {open && (
        <div role="group">
          {node.children.map((child) => (
            <AttributeTreeItem key={child.path} node={child} depth={depth + 1} />
          ))}
        </div>
      )}
    </div>
  );
}
