// Public surface: User and Group request parsing, PATCH, and response rendering.
export {
  applyUserPatch,
  parseUser,
  renderUser,
  type ScimEmail,
  type UserGroupView,
  type UserView,
  type UserWrite,
} from './user.js';
export { parseGroup, renderGroup, type GroupMemberView, type GroupView, type GroupWrite } from './group.js';
export { planGroupPatch, type GroupPatchStep } from './group-patch.js';
export { normalizeDocument } from './document.js';
