// The wire contract shared by the browser and the server. Imports nothing of ours.
export * from './errors';
export * from './events';
export * from './limits';
export * from './schemas';
export * from './text';
export * from './types';
export * from './settings';
