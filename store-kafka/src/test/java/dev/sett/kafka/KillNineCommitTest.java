package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's exactly-once promise, tested by killing: a task's store in a child JVM commits batch
 * after batch and is killed with SIGKILL at a random point; reopened, its committed offset is at
 * least the last one the child reported, and its contents are exactly the state after that batch:
 * no part of a later batch, nothing missing. The next child continues from there, as a task
 * restoring the changelog after the offset would.
 */
class KillNineCommitTest {
  @TempDir
  Path stateDir;

  private Process start() throws Exception {
    return new ProcessBuilder(ChildJvm.command("256m", CommitChild.class, stateDir.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  @Test
  void aStoreKilledMidStreamReopensAtExactlyItsLastCommittedBatch() throws Exception {
    Random r = new Random(31);
    long reported = -1;
    for (int cycle = 0; cycle < 6; cycle++) {
      Process child = start();
      long target = reported + 20 + r.nextInt(150);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("COMMITTED ")) {
            reported = Long.parseLong(line.substring(10));
            if (reported >= target) {
              break;
            }
          }
        }
        assertNotNull(line, "the child stopped before batch " + target);
        child.destroyForcibly(); // SIGKILL, mid-batch or mid-commit
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      }
      SettKeyValueStore store = (SettKeyValueStore) SettStores.persistentKeyValueStore("counts").get();
      store.init(CommitChild.context(stateDir.toFile()), store);
      try {
        Long committed = store.committedOffset(CommitChild.CHANGELOG);
        assertNotNull(committed, "cycle " + cycle + ": no committed offset");
        assertTrue(committed >= reported, "cycle " + cycle + ": committed " + committed + " < reported " + reported);
        // The child runs on between the report the parent acted on and the kill: later commits are
        // fine, as long as the contents are exactly those of the batch the offset names.
        NavigableMap<Bytes, byte[]> expected = CommitChild.model(committed);
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
          for (Map.Entry<Bytes, byte[]> e : expected.entrySet()) {
            assertTrue(it.hasNext(), "cycle " + cycle + ": ends before " + e.getKey());
            KeyValue<Bytes, byte[]> kv = it.next();
            assertEquals(e.getKey(), kv.key, "cycle " + cycle);
            assertArrayEquals(e.getValue(), kv.value, "cycle " + cycle + ": value of " + kv.key);
          }
          assertTrue(!it.hasNext(), "cycle " + cycle + ": entries beyond the committed batch");
        }
        reported = committed;
      } finally {
        store.close();
      }
    }
  }
}
