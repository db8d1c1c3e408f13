package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;

/**
 * Each binding driven by YCSB's own Client, as run-ycsb.sh drives it, at a size that takes seconds:
 * load, then workloads A and E with {@code dataintegrity=true} and two client threads (so two
 * binding instances share one store). E runs on the store A's load made: A inserts nothing, so the
 * keys E scans and inserts after are the same as after a fresh load, and one load is saved per
 * binding. E runs under {@link ScanVerifyingWorkload}, CoreWorkload plus checks of what scans
 * return, which CoreWorkload's own checks skip; its scans are up to {@value #MAX_SCAN_LENGTH}
 * records instead of E's 100, because rebuilding YCSB's expected values costs more than the scans
 * (100 took 2.2 s of checking per run here).
 *
 * <p>The tests run two at a time: each spends its time waiting for child JVMs, which use a core
 * each.
 */
@Execution(ExecutionMode.CONCURRENT)
class YcsbClientEndToEndTest {
  private static final int RECORDS = 2_000;
  private static final int OPERATIONS = 2_000;
  private static final int MAX_SCAN_LENGTH = 25;

  @TempDir
  Path tmp;

  private static String[] args(String phase, String workload, Class<?> db, String dirProperty, Path dir,
      String... more) {
    List<String> args = new ArrayList<>(List.of(phase, "-db", db.getName(), "-P", YcsbClient.workload(workload),
        "-threads", "2", "-p", "recordcount=" + RECORDS, "-p", "operationcount=" + OPERATIONS,
        "-p", "dataintegrity=true", "-p", dirProperty + "=" + dir));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  private static String[] scansVerified() {
    return new String[] {"-p", "workload=" + ScanVerifyingWorkload.class.getName(),
        "-p", "maxscanlength=" + MAX_SCAN_LENGTH};
  }

  /** The check every clean run must pass; a negative test below shows it fails on wrong data. */
  private static void assertClean(YcsbOutput run, long expectedOperations, String what) {
    assertEquals(List.of(), run.problems(expectedOperations), what);
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void loadThenWorkloadsAAndEReturnOnlyVerifiedDataAndNoFailedOperation(Binding binding) throws Exception {
    Path store = tmp.resolve("store");

    YcsbOutput load = YcsbClient.run(tmp, "load", args("-load", "workloada", binding.type, binding.dirProperty, store));
    assertClean(load, RECORDS, "load");
    assertEquals(RECORDS, load.operations().get("INSERT").returns().get("OK"));

    YcsbOutput a = YcsbClient.run(tmp, "run-a", args("-t", "workloada", binding.type, binding.dirProperty, store));
    assertClean(a, OPERATIONS, "workload A");
    long reads = a.operations().get("READ").operations();
    assertTrue(reads > OPERATIONS / 4, "A is half reads: " + reads);
    assertEquals(reads, a.verified(), "every read of A was verified");

    YcsbOutput e = YcsbClient.run(tmp, "run-e",
        args("-t", "workloade", binding.type, binding.dirProperty, store, scansVerified()));
    assertClean(e, OPERATIONS, "workload E");
    long scans = e.operations().get("SCAN").operations();
    assertTrue(scans > OPERATIONS / 2, "E is mostly scans: " + scans);
    assertTrue(e.verified() > scans, "each scan verified its records: " + e.verified() + " for " + scans + " scans");
  }

  @Test
  void aBindingThatReturnsWrongDataFailsTheIntegrityCheckInAAndInE() throws Exception {
    Path store = tmp.resolve("store");
    assertClean(YcsbClient.run(tmp, "load", args("-load", "workloada", SettYcsbDb.class, SettYcsbDb.DIR, store)),
        RECORDS, "load");

    YcsbOutput a = YcsbClient.run(tmp, "run-a",
        args("-t", "workloada", CorruptingSettYcsbDb.class, SettYcsbDb.DIR, store));
    YcsbOutput e = YcsbClient.run(tmp, "run-e",
        args("-t", "workloade", CorruptingSettYcsbDb.class, SettYcsbDb.DIR, store, scansVerified()));

    for (YcsbOutput run : List.of(a, e)) {
      assertEquals(0, run.failedOperations(), "the corrupting binding reports every call OK");
      assertTrue(run.verifyFailures() > 0, "damaged records must fail [VERIFY]");
      AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> assertClean(run, OPERATIONS, "run"));
      assertTrue(failure.getMessage().contains("[VERIFY] failures"), failure.getMessage());
    }
  }
}
