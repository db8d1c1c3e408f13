package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YcsbOutputTest {

  /** What YCSB 0.17.0's text exporter wrote for a clean run of workload F (trimmed GC lines). */
  static final List<String> CLEAN_F = List.of(
      "[OVERALL], RunTime(ms), 1000",
      "[OVERALL], Throughput(ops/sec), 2000.0",
      "[TOTAL_GCs], Count, 2",
      "[READ], Operations, 1000",
      "[READ], AverageLatency(us), 12.25",
      "[READ], MinLatency(us), 2",
      "[READ], MaxLatency(us), 900",
      "[READ], 95thPercentileLatency(us), 30",
      "[READ], 99thPercentileLatency(us), 61",
      "[READ], Return=OK, 1000",
      "[VERIFY], Operations, 1000",
      "[VERIFY], AverageLatency(us), 1.5",
      "[VERIFY], 99thPercentileLatency(us), 3",
      "[VERIFY], Return=OK, 1000",
      "[UPDATE], Operations, 500",
      "[UPDATE], AverageLatency(us), 20.0",
      "[UPDATE], 99thPercentileLatency(us), 80",
      "[UPDATE], Return=OK, 500",
      "[READ-MODIFY-WRITE], Operations, 500",
      "[READ-MODIFY-WRITE], AverageLatency(us), 35.5",
      "[READ-MODIFY-WRITE], 99thPercentileLatency(us), 140",
      "[CLEANUP], Operations, 1",
      "[CLEANUP], AverageLatency(us), 7000.0");

  @Test
  void throughputLatenciesAndStatusesAreReadPerOperation() {
    YcsbOutput out = YcsbOutput.parse(CLEAN_F);

    assertEquals(2000.0, out.throughput().getAsDouble());
    YcsbOutput.Operation read = out.operations().get("READ");
    assertEquals(1000, read.operations());
    assertEquals(12.25, read.averageLatencyUs());
    assertEquals(61.0, read.p99LatencyUs());
    assertEquals(Map.of("OK", 1000L), read.returns());
    assertEquals(35.5, out.operations().get("READ-MODIFY-WRITE").averageLatencyUs());
  }

  @Test
  void aReadModifyWriteCountsOnceThoughItIsAReadAndAnUpdate() {
    // 1000 operations: 1000 reads (500 plain, 500 inside a read-modify-write) and 500 updates.
    assertEquals(1000, YcsbOutput.parse(CLEAN_F).operationsDone());
    assertEquals(List.of(), YcsbOutput.parse(CLEAN_F).problems(1000));
  }

  @Test
  void verifyFailuresAreCountedAndReported() {
    YcsbOutput out = YcsbOutput.parse(replace(CLEAN_F, "[VERIFY], Return=OK, 1000",
        "[VERIFY], Return=OK, 990", "[VERIFY], Return=UNEXPECTED_STATE, 7", "[VERIFY], Return=ERROR, 3"));

    assertEquals(990, out.verified());
    assertEquals(10, out.verifyFailures());
    List<String> problems = out.problems(1000);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("10 [VERIFY] failures"), problems.get(0));
  }

  @Test
  void anyStatusButOkIsAFailedOperation() {
    YcsbOutput out = YcsbOutput.parse(replace(CLEAN_F, "[READ], Return=OK, 1000",
        "[READ], Return=OK, 997", "[READ], Return=NOT_FOUND, 2", "[READ], Return=ERROR, 1"));

    assertEquals(3, out.failedOperations());
    assertEquals(1000, out.operationsDone(), "a failed call still ran");
    assertTrue(out.problems(1000).get(0).startsWith("3 failed operations: READ"), out.problems(1000).toString());
  }

  @Test
  void aRunThatDidNotFinishOrFellShortIsAProblem() {
    YcsbOutput unfinished = YcsbOutput.parse(replace(CLEAN_F, "[OVERALL], Throughput(ops/sec), 2000.0"));
    assertTrue(unfinished.throughput().isEmpty());
    assertTrue(unfinished.problems(1000).get(0).contains("did not finish"), unfinished.problems(1000).toString());

    // What YCSB prints when every client thread failed in init(): a throughput of 0 and no operations.
    YcsbOutput nothing = YcsbOutput.parse(List.of("[OVERALL], RunTime(ms), 3", "[OVERALL], Throughput(ops/sec), 0.0"));
    assertEquals(List.of("did 0 of 1000 operations"), nothing.problems(1000));
  }

  @Test
  void linesThatAreNotMeasurementsAreIgnored() {
    List<String> console = new java.util.ArrayList<>(List.of("YCSB Client 0.17.0", "Loading workload...",
        "[Thread-1] INFO net.openhft.chronicle.core.Jvm - Chronicle core loaded", ""));
    console.addAll(CLEAN_F);

    assertEquals(List.of(), YcsbOutput.parse(console).problems(1000));
  }

  private static List<String> replace(List<String> lines, String line, String... with) {
    List<String> out = new java.util.ArrayList<>();
    for (String l : lines) {
      if (l.equals(line)) {
        out.addAll(List.of(with));
      } else {
        out.add(l);
      }
    }
    assertTrue(!out.equals(lines), "the fixture has no line " + line);
    return out;
  }
}
