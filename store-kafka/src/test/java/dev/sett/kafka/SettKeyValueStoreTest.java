package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.StoreOptions;
import dev.sett.api.SyncMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.test.InternalMockProcessorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Sett's store promises beyond Kafka's conformance tests: atomic commits, offsets, iterators. */
class SettKeyValueStoreTest {
  private static final TopicPartition CHANGELOG = new TopicPartition("app-store-changelog", 3);

  @TempDir
  Path stateDir;
  private final List<SettKeyValueStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(SettKeyValueStore::close);
  }

  private InternalMockProcessorContext<Object, Object> context(boolean exactlyOnce) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "sett-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    if (exactlyOnce) {
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    }
    return new InternalMockProcessorContext<>(stateDir.toFile(), new StreamsConfig(p));
  }

  private SettKeyValueStore open(StoreFormat format, StoreOptions options, InternalMockProcessorContext<Object, Object> ctx) {
    SettKeyValueStore s = (SettKeyValueStore) new SettKeyValueBytesStoreSupplier("counts", format, options).get();
    s.init(ctx, s);
    opened.add(s);
    return s;
  }

  private SettKeyValueStore open(boolean exactlyOnce) {
    return open(StoreFormat.PLAIN, SettStores.defaultOptions(), context(exactlyOnce));
  }

  private static Bytes key(String k) {
    return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] value(String v) {
    return v.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aCommitKeepsItsWritesAndOffsetsAcrossReopenAndLaterWritesAreDropped() {
    SettKeyValueStore s = open(true);
    s.put(key("a"), value("1"));
    s.put(key("b"), value("2"));
    s.commit(Map.of(CHANGELOG, 17L));
    s.put(key("c"), value("3")); // never committed: the changelog holds it
    s.delete(key("a"));
    assertNull(s.get(key("a")), "a pending delete hides the committed value");
    assertEquals("3", str(s.get(key("c"))), "a pending put reads back");
    s.close();

    SettKeyValueStore again = open(true);
    assertEquals(17L, again.committedOffset(CHANGELOG));
    assertEquals("1", str(again.get(key("a"))));
    assertEquals("2", str(again.get(key("b"))));
    assertNull(again.get(key("c")));
    assertEquals(2, again.approximateNumEntries());
    assertNull(again.committedOffset(new TopicPartition("other", 0)));
  }

  @Test
  void anEmptyCommitRemovesEveryOffsetAndANullOffsetRemovesOne() {
    SettKeyValueStore s = open(false);
    TopicPartition other = new TopicPartition("global-topic", 0);
    s.commit(Map.of(CHANGELOG, 5L, other, 9L));
    Map<TopicPartition, Long> oneRemoved = new java.util.HashMap<>();
    oneRemoved.put(other, null);
    s.commit(oneRemoved);
    assertEquals(5L, s.committedOffset(CHANGELOG));
    assertNull(s.committedOffset(other));
    s.commit(Map.of());
    assertNull(s.committedOffset(CHANGELOG));
    s.close();
    SettKeyValueStore again = open(false);
    assertNull(again.committedOffset(CHANGELOG), "the removal was committed too");
  }

  @Test
  void pendingWritesThatOutgrowTheThresholdAreWrittenEarlyAndThenNoOffsetIsTrustedUnderExactlyOnce() {
    StoreOptions small = StoreOptions.builder().syncMode(SyncMode.NONE).segmentSize(1 << 20).build();
    SettKeyValueStore s = open(StoreFormat.PLAIN, small, context(true));
    s.put(key("first"), value("x"));
    s.commit(Map.of(CHANGELOG, 100L));
    byte[] big = new byte[8 * 1024];
    int n = (int) (s.flushThreshold() / big.length) + 2;
    for (int i = 0; i < n; i++) {
      s.put(key("k" + i), big);
    }
    assertNull(s.committedOffset(CHANGELOG), "writes beyond the offset are on disk: under EOS the offset is not"
        + " trusted, so Kafka rebuilds the store after a crash");
    s.close(); // a crash at this point: the early writes stay, no commit covers them

    SettKeyValueStore eos = open(StoreFormat.PLAIN, small, context(true));
    assertNull(eos.committedOffset(CHANGELOG));
    assertArrayEquals(big, eos.get(key("k0")), "the early write reached the store");
    eos.close();
    SettKeyValueStore alos = open(StoreFormat.PLAIN, small, context(false));
    assertEquals(100L, alos.committedOffset(CHANGELOG), "at-least-once replays from the offset: extra writes are"
        + " harmless");
    alos.commit(Map.of(CHANGELOG, 200L));
    alos.close();
    SettKeyValueStore clean = open(StoreFormat.PLAIN, small, context(true));
    assertEquals(200L, clean.committedOffset(CHANGELOG), "a commit covers the early writes again");
  }

  @Test
  void aStoreWrittenInOneFormatRefusesToOpenInAnother() {
    SettKeyValueStore s = open(StoreFormat.TIMESTAMPED, SettStores.defaultOptions(), context(false));
    s.put(key("a"), value("with a timestamp"));
    s.commit(Map.of(CHANGELOG, 1L));
    s.close();
    ProcessorStateException e = assertThrows(ProcessorStateException.class,
        () -> open(StoreFormat.PLAIN, SettStores.defaultOptions(), context(false)));
    assertTrue(e.getMessage().contains("holds timestamped values but is opened as a plain store"), e.getMessage());
    assertTrue(e.getMessage().contains("delete that directory"), e.getMessage());
    SettKeyValueStore same = open(StoreFormat.TIMESTAMPED, SettStores.defaultOptions(), context(false));
    assertEquals("with a timestamp", str(same.get(key("a"))), "the refused open left the data alone");
  }

  @Test
  void theStoreFiguresAreInKafkasMetricsRegistryAfterACommitAndLeaveItOnClose() {
    InternalMockProcessorContext<Object, Object> ctx = context(false);
    SettKeyValueStore s = open(StoreFormat.PLAIN, SettStores.defaultOptions(), ctx);
    for (int i = 0; i < 10; i++) {
      s.put(key("k" + i), value("v" + i));
    }
    s.commit(Map.of(CHANGELOG, 10L));
    Map<String, Object> figures = new TreeMap<>();
    ctx.metrics().metrics().forEach((name, metric) -> {
      if (name.group().equals(StoreMetrics.GROUP) && "counts".equals(name.tags().get("sett-state-id"))) {
        figures.put(name.name(), metric.metricValue());
      }
    });
    assertEquals(6, figures.size(), figures.toString());
    assertTrue((Double) figures.get("sett-live-keys") >= 10, figures.toString()); // 10 keys and the store's own records
    assertTrue((Double) figures.get("sett-disk-bytes") > 0, figures.toString());
    s.close();
    ctx.metrics().metrics().forEach((name, metric) ->
        assertFalse("counts".equals(name.tags().get("sett-state-id")), "left behind: " + name));
  }

  @Test
  void aStoreWhoseRegistrationFailsReleasesItsDirectory() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "sett-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    InternalMockProcessorContext<Object, Object> refusing = new InternalMockProcessorContext<>(stateDir.toFile(),
        new StreamsConfig(p)) {
      @Override
      public void register(org.apache.kafka.streams.processor.StateStore store,
          org.apache.kafka.streams.processor.StateRestoreCallback callback) {
        throw new IllegalStateException("injected: registration refused");
      }
    };
    SettKeyValueStore s = (SettKeyValueStore) SettStores.persistentKeyValueStore("counts").get();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.init(refusing, s));
    assertTrue(e.getMessage().contains("injected"));
    assertFalse(s.isOpen());
    SettKeyValueStore again = open(false); // the Sett store's lock was released
    again.put(key("a"), value("1"));
    assertEquals("1", str(again.get(key("a"))));
  }

  @Test
  void aStoreWrittenWithANewerLayoutIsRefusedAndLeftAlone() {
    SettKeyValueStore s = open(false);
    s.put(key("a"), value("1"));
    s.commit(Map.of(CHANGELOG, 1L));
    s.close();
    try (dev.sett.api.Store raw = dev.sett.core.Sett.open(stateDir.resolve("sett").resolve("counts"),
        SettStores.defaultOptions())) {
      raw.put(KeySpace.meta(StoreMeta.LAYOUT), new byte[] {(byte) (StoreMeta.LAYOUT_VERSION + 1)});
    }
    ProcessorStateException e = assertThrows(ProcessorStateException.class, () -> open(false));
    assertTrue(e.getMessage().contains("written by a newer store-kafka"), e.getMessage());
    try (dev.sett.api.Store raw = dev.sett.core.Sett.open(stateDir.resolve("sett").resolve("counts"),
        SettStores.defaultOptions())) {
      assertArrayEquals(value("1"), raw.get(KeySpace.data(value("a"))), "the refused open changed nothing");
    }
  }

  @Test
  void restoredRecordsReachTheStoreInBatchesAndSurviveWithTheCommit() {
    InternalMockProcessorContext<Object, Object> ctx = context(true);
    SettKeyValueStore s = open(StoreFormat.PLAIN, SettStores.defaultOptions(), ctx);
    List<KeyValue<byte[], byte[]>> changelog = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      changelog.add(KeyValue.pair(value("key-" + i), value("v" + i)));
    }
    changelog.add(KeyValue.pair(value("key-7"), null)); // a tombstone in the changelog
    ctx.restore("counts", changelog);
    assertNull(s.get(key("key-7")));
    assertEquals("v4999", str(s.get(key("key-4999"))));
    s.commit(Map.of(CHANGELOG, 5_001L));
    s.close();
    SettKeyValueStore again = open(true);
    assertEquals(5_001L, again.committedOffset(CHANGELOG));
    assertEquals(4_999, again.approximateNumEntries());
    assertEquals("v0", str(again.get(key("key-0"))));
  }

  @Test
  void rangesMergePendingAndCommittedWritesAsASortedMapWould() {
    SettKeyValueStore s = open(false);
    NavigableMap<Bytes, byte[]> model = new TreeMap<>();
    Random r = new Random(12);
    for (int op = 0; op < 3_000; op++) {
      Bytes k = Bytes.wrap(new byte[] {(byte) r.nextInt(4), (byte) (r.nextInt(3) * 127), (byte) r.nextInt(40)});
      int what = r.nextInt(10);
      if (what < 6) {
        byte[] v = value("v" + op);
        s.put(k, v);
        model.put(k, v);
      } else if (what < 9) {
        s.delete(k);
        model.remove(k);
      } else {
        s.commit(Map.of(CHANGELOG, (long) op));
      }
      if (op % 250 == 0) {
        compare(s, model, r);
      }
    }
    compare(s, model, r);
  }

  private static void compare(SettKeyValueStore s, NavigableMap<Bytes, byte[]> model, Random r) {
    assertSame(model, s.all(), "all");
    assertSame(model.descendingMap(), s.reverseAll(), "reverseAll");
    Bytes a = Bytes.wrap(new byte[] {(byte) r.nextInt(4), (byte) 127});
    Bytes b = Bytes.wrap(new byte[] {(byte) r.nextInt(4), (byte) 254, 5});
    if (a.compareTo(b) <= 0) {
      assertSame(model.subMap(a, true, b, true), s.range(a, b), "range");
      assertSame(model.subMap(a, true, b, true).descendingMap(), s.reverseRange(a, b), "reverseRange");
    }
    assertSame(model.headMap(b, true), s.range(null, b), "range from null");
    assertSame(model.tailMap(a, true), s.range(a, null), "range to null");
    byte[] prefix = {(byte) r.nextInt(4), (byte) 127};
    NavigableMap<Bytes, byte[]> prefixed = new TreeMap<>();
    model.forEach((k, v) -> {
      if (k.get().length >= 2 && k.get()[0] == prefix[0] && k.get()[1] == prefix[1]) {
        prefixed.put(k, v);
      }
    });
    assertSame(prefixed, s.prefixScan(prefix, new ByteArraySerializer()), "prefixScan");
  }

  private static void assertSame(Map<Bytes, byte[]> expected, KeyValueIterator<Bytes, byte[]> it, String what) {
    try (it) {
      for (Map.Entry<Bytes, byte[]> e : expected.entrySet()) {
        assertTrue(it.hasNext(), what + ": ended before " + e.getKey());
        assertEquals(e.getKey(), it.peekNextKey(), what);
        KeyValue<Bytes, byte[]> kv = it.next();
        assertEquals(e.getKey(), kv.key, what);
        assertArrayEquals(e.getValue(), kv.value, what + ": value of " + kv.key);
      }
      assertFalse(it.hasNext(), what + ": more entries than expected");
    }
  }

  @Test
  void anIteratorOpenedBeforeACommitSeesEachEntryOnce() {
    SettKeyValueStore s = open(false);
    for (int i = 0; i < 100; i++) {
      s.put(key(String.format("k%03d", i)), value("v" + i));
    }
    s.commit(Map.of(CHANGELOG, 1L));
    for (int i = 100; i < 200; i++) {
      s.put(key(String.format("k%03d", i)), value("v" + i));
    }
    try (KeyValueIterator<Bytes, byte[]> it = s.all()) {
      it.next();
      s.commit(Map.of(CHANGELOG, 2L)); // the pending writes move into the store under the iterator
      int seen = 1;
      while (it.hasNext()) {
        it.next();
        seen++;
      }
      assertEquals(200, seen);
    }
  }

  @Test
  void closingTheStoreClosesItsIteratorsAndCloseIsIdempotent() {
    SettKeyValueStore s = open(false);
    s.put(key("a"), value("1"));
    s.commit(Map.of(CHANGELOG, 1L));
    KeyValueIterator<Bytes, byte[]> it = s.all();
    assertEquals(1, s.openIterators());
    s.close();
    s.close();
    assertEquals(0, s.openIterators());
    assertFalse(s.isOpen());
    assertThrows(InvalidStateStoreException.class, it::hasNext);
    assertThrows(InvalidStateStoreException.class, () -> s.get(key("a")));
    it.close();
  }

  @Test
  void anIteratorDroppedWithoutCloseIsClosedByTheCollector() throws InterruptedException {
    SettKeyValueStore s = open(false);
    s.put(key("a"), value("1"));
    s.commit(Map.of(CHANGELOG, 1L));
    forget(s);
    assertEquals(1, s.openIterators());
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (s.openIterators() > 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, s.openIterators(), "the forgotten iterator still holds its snapshot");
  }

  private static void forget(SettKeyValueStore s) {
    KeyValueIterator<Bytes, byte[]> it = s.all();
    assertTrue(it.hasNext());
  }

  @Test
  void nullKeysAreRefusedBeforeAnythingIsWrittenAndNullValuesDelete() {
    SettKeyValueStore s = open(false);
    s.put(key("a"), value("1"));
    List<KeyValue<Bytes, byte[]>> withNull = new ArrayList<>();
    withNull.add(KeyValue.pair(key("b"), value("2")));
    withNull.add(KeyValue.pair(null, value("3")));
    assertThrows(NullPointerException.class, () -> s.putAll(withNull));
    assertNull(s.get(key("b")), "putAll wrote nothing");
    s.put(key("a"), null);
    assertNull(s.get(key("a")));
    assertThrows(NullPointerException.class, () -> s.get(null));
  }

  @Test
  void interactiveQueriesAnswerWithTheStorePositionWhichACommitKeeps() {
    InternalMockProcessorContext<Object, Object> ctx = context(false);
    SettKeyValueStore s = open(StoreFormat.PLAIN, SettStores.defaultOptions(), ctx);
    ctx.setRecordContext(new ProcessorRecordContext(0L, 42L, 1, "input", new RecordHeaders()));
    s.put(key("a"), value("1"));
    s.put(key("b"), value("2"));
    QueryResult<byte[]> one = s.query(KeyQuery.withKey(key("a")), PositionBound.unbounded(), new QueryConfig(false));
    assertTrue(one.isSuccess(), String.valueOf(one));
    assertEquals("1", str(one.getResult()));
    assertEquals(Map.of(1, 42L), one.getPosition().getPartitionPositions("input"));
    QueryResult<KeyValueIterator<Bytes, byte[]>> range = s.query(RangeQuery.withRange(key("a"), key("b")),
        PositionBound.unbounded(), new QueryConfig(false));
    int n = 0;
    try (KeyValueIterator<Bytes, byte[]> it = range.getResult()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    assertEquals(2, n);
    s.commit(Map.of(CHANGELOG, 2L));
    s.close();
    SettKeyValueStore again = open(false);
    assertEquals(Map.of(1, 42L), again.getPosition().getPartitionPositions("input"));
  }
  /**
   * A store per partition must not carry a large segment's worth of allocated slack: the stores
   * made by default use 16 MiB segments, so beyond its data a store holds at most two of them (the
   * active segment's unwritten tail and the prepared next one) and what whole batches leave at the
   * ends of full ones. With Sett's general 64 MiB segments 30 MB of data took over 120 MB of files.
   */
  @Test
  void aDefaultStoreHoldsAtMostTwoSmallSegmentsBeyondItsData() throws Exception {
    SettKeyValueStore s = open(false);
    byte[] value = new byte[10_000];
    long data = 0;
    for (int i = 0; i < 3_000; i++) {
      s.put(key("k" + i), value);
      data += value.length;
      if (i % 500 == 499) {
        s.commit(Map.of(CHANGELOG, (long) i));
      }
    }
    s.commit(Map.of(CHANGELOG, 3_000L));
    long[] sum = new long[1];
    // Not Files.walk: it fails when a file vanishes under it, and the sealer renames hint files
    // into place meanwhile.
    java.nio.file.Files.walkFileTree(stateDir, new java.nio.file.SimpleFileVisitor<Path>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes attrs) {
        if (f.toString().endsWith(".seg") || f.toString().endsWith(".seg.tmp")) {
          sum[0] += attrs.size();
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }

      @Override
      public java.nio.file.FileVisitResult visitFileFailed(Path f, java.io.IOException e) throws java.io.IOException {
        if (e instanceof java.nio.file.NoSuchFileException) {
          return java.nio.file.FileVisitResult.CONTINUE;
        }
        throw e;
      }
    });
    long files = sum[0];
    long slack = files - data;
    // Two segments' slack, plus what batches leave at the ends of full segments (a batch of pending
    // writes, up to a quarter segment, goes whole into one segment).
    assertTrue(slack <= 3L * SettStores.KAFKA_SEGMENT_SIZE,
        "segment files of " + files + " bytes for " + data + " bytes of values");
  }
}
