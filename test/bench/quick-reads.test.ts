// The quick benchmark's scenarios of reading: history pages and searches, and the message list
// of a phone in Chromium.
import { QUICK_GROUPS, testQuickRun } from './quick-run';

testQuickRun(QUICK_GROUPS.reads);
