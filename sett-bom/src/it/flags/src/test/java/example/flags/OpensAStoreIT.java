package example.flags;

/** The same test, run by Failsafe with the README's argLine (OpensAStoreTest runs under Surefire). */
class OpensAStoreIT extends OpensAStoreTest {
}
