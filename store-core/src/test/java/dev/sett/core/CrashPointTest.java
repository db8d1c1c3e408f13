package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sett.api.Cursor;
import dev.sett.api.KeyRange;
import dev.sett.api.Snapshot;
import dev.sett.api.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stops a child JVM at each named crash point (writes, rolls, sealing, every step of compaction),
 * then checks that the store opens with exactly the acknowledged writes (plus, at most, the one
 * write in flight when the process died).
 */
class CrashPointTest {
  @TempDir Path dir;

  static Stream<Arguments> points() {
    List<Arguments> out = new ArrayList<>();
    for (String point : CrashPoints.ALL) {
      if (point.equals(CrashPoints.BATCH_RECORD)) {
        continue; // this workload writes no batches; CrashPointCoverageTest's does
      }
      for (int hit : new int[] {1, 3}) {
        out.add(Arguments.of(point, hit));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} at hit {1}")
  @MethodSource("points")
  void storeOpensWithExactlyTheAcknowledgedDataAfterACrashAt(String point, int hit) throws Exception {
    Path store = Files.createDirectories(dir.resolve("store"));
    int acked = -1;
    boolean compacting = false;
    int exit;
    try (ChildProcess child = ChildProcess.start(true, List.of("-Dsett.crashPoint=" + point + ":" + hit),
        "workload", store.toString())) {
      String line;
      while ((line = child.out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          acked = Integer.parseInt(line.substring(4));
        } else if (line.equals("compacting")) {
          compacting = true;
        }
      }
      assertTrue(child.process.waitFor(60, TimeUnit.SECONDS));
      exit = child.process.exitValue();
    }
    assertTrue(exit == 0 || exit == CrashPoints.EXIT_STATUS, "child failed with exit " + exit);
    if (hit == 1) {
      assertEquals(CrashPoints.EXIT_STATUS, exit, "the workload never reached " + point);
    }
    Map<String, String> actual = new TreeMap<>();
    try (Store s = Sett.open(store, ChildProcessMain.OPTIONS.toBuilder().autoCompaction(false).build());
        Snapshot snap = s.snapshot(); Cursor c = snap.scan(KeyRange.all())) {
      while (c.next()) {
        String v = new String(c.value().toByteArray(), StandardCharsets.UTF_8);
        actual.put(new String(c.key().toByteArray(), StandardCharsets.UTF_8), v.substring(0, v.indexOf('\0')));
      }
    }
    Map<String, String> expected = model(acked);
    if (actual.equals(expected)) {
      return;
    }
    if (!compacting && acked + 1 < ChildProcessMain.WORKLOAD_OPERATIONS && actual.equals(model(acked + 1))) {
      return; // the write in flight when the process died reached the page cache
    }
    fail("after a crash at " + point + ":" + hit + " (exit " + exit + ", " + (acked + 1) + " writes acknowledged"
        + (compacting ? ", compacting" : "") + ") the store holds " + actual.size() + " keys, expected "
        + expected.size() + "; first difference: " + firstDifference(expected, actual));
  }

  private static Map<String, String> model(int acked) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i <= acked; i++) {
      ChildProcessMain.applyOperation(m, i);
    }
    return m;
  }

  private static String firstDifference(Map<String, String> expected, Map<String, String> actual) {
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        return e.getKey() + " expected " + e.getValue() + " but was " + actual.get(e.getKey());
      }
    }
    for (String k : actual.keySet()) {
      if (!expected.containsKey(k)) {
        return k + " should be absent but is " + actual.get(k);
      }
    }
    return "none";
  }
}
