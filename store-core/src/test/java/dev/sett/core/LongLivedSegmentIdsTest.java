package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.ByteView;
import dev.sett.api.StoreOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment ids only grow: every roll and every compaction output takes a new one. After a long life
 * the ids are large while the live segments are few, and the segment table and each snapshot's
 * pins must be sized by the live segments, not by the highest id ever created.
 */
class LongLivedSegmentIdsTest {
  private static final int ROLLS = 5_000;
  private static final int KEYS = 4;
  @TempDir Path dir;

  @Test
  void tableAndSnapshotPinsStaySizedByLiveSegments() {
    StoreOptions options = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false).build();
    byte[] value = new byte[12 << 10];
    try (SettStore store = (SettStore) Sett.open(dir, options)) {
      int maxTable = 0;
      int maxLive = 0;
      int worstExcess = Integer.MIN_VALUE;
      long put = 0;
      while (highestId(store) < ROLLS) {
        for (int i = 0; i < KEYS; i++) {
          value[0] = (byte) put++;
          store.put(b("k" + i), value);
        }
        if (put % (KEYS * 25) == 0) {
          store.compact(true);
          int live = store.segmentTable().all().size();
          maxLive = Math.max(maxLive, live);
          maxTable = Math.max(maxTable, store.segmentTable().capacity());
          worstExcess = Math.max(worstExcess, store.segmentTable().capacity() - 4 * live);
        }
      }
      store.compact(true);
      int highest = highestId(store);
      try (SettSnapshot snapshot = (SettSnapshot) store.snapshot()) {
        // Roll a few times with the snapshot open: it pins the new segments too.
        for (int r = 0; r < 4 * KEYS; r++) {
          store.put(b("k" + (r % KEYS)), value);
        }
        ByteView v = snapshot.get(b("k0"));
        assertNotNull(v);
        int pins = snapshot.pinCapacity();
        int table = store.segmentTable().capacity();
        int liveNow = store.segmentTable().all().size();
        System.out.printf("after %d segment ids: %d live segments (max %d); table capacity %d (max %d,"
            + " worst capacity - 4 x live %d); snapshot pin capacity %d%n", highest, liveNow, maxLive, table,
            Math.max(maxTable, table), worstExcess, pins);
        assertTrue(highest >= ROLLS, "only " + highest + " segment ids");
        assertTrue(worstExcess <= 8, "table capacity up to 8 + " + worstExcess + " over 4 x the live segments");
        assertTrue(table <= 4 * liveNow + 8, "table capacity " + table + " for " + liveNow + " live segments");
        assertTrue(pins <= 4 * liveNow + 8, "snapshot pin capacity " + pins + " for " + liveNow + " segments");
      }
      for (int i = 0; i < KEYS; i++) {
        assertEquals(value.length, store.get(b("k" + i)).length);
      }
    }
  }

  private static int highestId(SettStore store) {
    java.util.List<Segment> all = store.segmentTable().all();
    return all.isEmpty() ? -1 : all.get(all.size() - 1).id();
  }
}
