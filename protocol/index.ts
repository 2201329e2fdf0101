// The wire contract shared by the browser and the server. Imports nothing of ours.
// First: it configures zod before the schemas below are built.
import './zod-config';
export * from './errors';
export * from './events';
export * from './limits';
export * from './schemas';
export * from './text';
export * from './types';
export * from './settings';
export * from './http';
export * from './search';
export * from './reports';
export * from './admin';
