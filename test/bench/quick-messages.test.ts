// The quick benchmark's scenarios of sending: fixed rates, the highest rate and fan-out.
import { QUICK_GROUPS, testQuickRun } from './quick-run';

testQuickRun(QUICK_GROUPS.messages);
