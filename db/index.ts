// The data layer: the only place that imports drizzle. Seeding and test helpers are in db/seed.ts,
// which only bench/ and test/ import.
export { openDatabase, describePostgresUrl } from './client';
export type { Database, DatabaseHandle, DatabaseOptions, Executor, Transaction } from './client';
export { DataDirLockedError } from './data-dir-lock';
export {
  describeDatabaseError,
  failedQueryError,
  isDatabaseUnreachable,
  isQueryError,
  isUniqueViolation,
} from './errors';
export * from './queries/conversations';
export * from './queries/groups';
export { listHistoryPage } from './queries/history';
export type { HistoryMessage, HistoryPage, HistoryPageRequest } from './queries/history';
export { inTransaction, lockConversations } from './queries/locks';
export {
  applyDeletion,
  applyEdit,
  applyHide,
  applyReaction,
  hideHistory,
  listChangeAudience,
  listChangesPage,
  lockMessage,
} from './queries/message-changes';
export type { ChangesPage, HistoryHidden, LockedMessage } from './queries/message-changes';
export { listMessageViews } from './queries/message-view';
export type { MessageView, QuoteView, ReactionView } from './queries/message-view';
export type { ConversationLock } from './queries/locks';
export * from './queries/messages';
export * from './queries/sessions';
export * from './queries/settings';
export * from './queries/users';
export type { ConversationRow, MessageRow, SessionRow, UserRow } from './schema';
export * from './queries/push';
export * from './queries/member-flags';
export * from './queries/former-members';
export { messageSearchQuery, searchMessages } from './queries/search';
export type {
  MessageSearchHit,
  MessageSearchOutcome,
  MessageSearchRequest,
} from './queries/search';
export * from './queries/blocks';
export * from './queries/admin-users';
export * from './queries/invites';
export * from './queries/account-deletion';
export { exportAccount } from './queries/export';
export * from './queries/reports';
