// The quick benchmark's scenarios of connections: idle sockets, the reconnect storm and the
// flood of reads.
import { QUICK_GROUPS, testQuickRun } from './quick-run';

testQuickRun(QUICK_GROUPS.connections);
