// A filter for a search across resource types (POST /.search at the root). RFC 7644 §3.4.3: an
// attribute a resource type lacks has no value there, so `userName eq "x"` is false for Groups.
// The filter is specialised per type: `true` = no filter, `false` = that type yields nothing.
import type { AttrPath, Filter } from '../filter/index.js';
import type { ResourceType } from '../ports.js';
import { resolveAttribute } from '../schemas/resolve.js';

export function filterForType(filter: Filter, type: ResourceType): Filter | boolean {
  switch (filter.kind) {
    case 'compare':
      // "no value" ne "x" holds; every other comparison with no value is false.
      return defined(type, filter.path) ? filter : filter.op === 'ne';
    case 'present':
      return defined(type, filter.path) ? filter : false;
    case 'valuePath':
      return defined(type, filter.path) ? filter : false;
    case 'not': {
      const inner = filterForType(filter.filter, type);
      return typeof inner === 'boolean' ? !inner : { kind: 'not', filter: inner };
    }
    case 'and':
    case 'or': {
      const left = filterForType(filter.left, type);
      const right = filterForType(filter.right, type);
      const absorbing = filter.kind === 'or'; // `true or x` = true; `false and x` = false
      if (left === absorbing || right === absorbing) return absorbing;
      if (typeof left === 'boolean') return right;
      if (typeof right === 'boolean') return left;
      return { kind: filter.kind, left, right };
    }
  }
}

const defined = (type: ResourceType, path: AttrPath): boolean => resolveAttribute(type, path) !== undefined;
