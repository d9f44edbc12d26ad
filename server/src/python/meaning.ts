// What an expression at a given place means, as a canonical qualified name: a dotted name rooted
// in an import (`T.load` -> `torch.load`), through local aliases (`load = torch.load` in the same
// function), `getattr(module, "literal")`, and call results (`Pipeline.from_pretrained(...)` ->
// `diffusers.Pipeline.from_pretrained()`, so a method on it reads `...from_pretrained().load_lora_weights`).
// Function parameters and other locals hide module names. Depth-capped: aliases of aliases are
// followed a few steps, never around a cycle.
import { constantValue } from './constants';
import type { Node } from './parser';
import { canonicalName, MAX_PARTS, resolveDotted, type ModuleBindings } from './resolve';
import type { PyUnit } from './unit';

const MAX_DEPTH = 6;

export class Resolver {
  constructor(
    readonly unit: PyUnit,
    readonly bindings: ModuleBindings,
    readonly starKnown?: ReadonlySet<string>,
  ) {}

  /** The canonical qualified name `expr` stands for here, or undefined. */
  qualified(expr: Node, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { ix } = this.unit;
    switch (expr.type) {
      case 'identifier':
        return this.nameAt(expr, expr.text, [], depth);
      case 'attribute': {
        // Walk down the attribute chain (iteratively), then resolve its root.
        const attrs: string[] = [];
        let n: Node = expr;
        while (n.type === 'attribute') {
          const a = n.childForFieldName('attribute');
          const o = ix.field(n, 'object');
          if (!a || !o || attrs.length >= MAX_PARTS) return undefined;
          attrs.push(a.text);
          n = o;
        }
        attrs.reverse();
        if (n.type === 'identifier') return this.nameAt(n, n.text, attrs, depth);
        const base = this.qualified(n, depth + 1);
        return base ? canonicalName([base, ...attrs].join('.')) : undefined;
      }
      case 'parenthesized_expression': {
        const inner = ix.named(expr)[0];
        return inner ? this.qualified(inner, depth + 1) : undefined;
      }
      case 'call': {
        const g = this.getattrTarget(expr, depth);
        if (g !== undefined) return g;
        const fn = ix.field(expr, 'function');
        const callee = fn ? this.qualified(fn, depth + 1) : undefined;
        return callee ? `${callee}()` : undefined;
      }
      default:
        return undefined;
    }
  }

  /** `getattr(obj, "name")` with a literal name: obj's meaning + `.name`; undefined otherwise. */
  getattrTarget(call: Node, depth = 0): string | undefined {
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'identifier' || fn.text !== 'getattr') return undefined;
    if (this.bindings.names.has('getattr') || this.unit.scopes.shadowed(fn, 'getattr')) return undefined;
    const args = call.childForFieldName('arguments');
    const list = args ? this.unit.ix.named(args) : [];
    if (list.length !== 2) return undefined;
    const attr = constantValue(list[1]);
    if (attr?.kind !== 'string' || !/^[A-Za-z_]\w*$/.test(attr.value)) return undefined;
    const obj = this.qualified(list[0]!, depth + 1);
    return obj ? canonicalName(`${obj}.${attr.value}`) : undefined;
  }

  /** `name` (used at `node`) followed by `attrs`. */
  private nameAt(node: Node, name: string, attrs: string[], depth: number): string | undefined {
    const local = this.unit.scopes.binding(node, name);
    if (local.shadowed) {
      // A local bound once to something readable (alias, getattr, call result) means that.
      if (!local.rhs || local.value) return undefined;
      const base = this.qualified(local.rhs, depth + 1);
      return base ? canonicalName([base, ...attrs].join('.')) : undefined;
    }
    return resolveDotted([name, ...attrs], this.bindings, this.starKnown);
  }
}
