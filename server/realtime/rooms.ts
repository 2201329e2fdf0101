// Socket.IO rooms. `user:<id>` reaches every device of a user, on every node.
export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
