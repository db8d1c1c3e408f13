package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSL topologies switched to Sett with {@code dsl.store.suppliers.class}: their output equals the
 * same topology's on Kafka's default (RocksDB) stores, record for record.
 */
class SettDslTopologyTest {
  @TempDir
  Path stateDir;

  /** A word count: words of lines counted in a KTable, each change emitted. */
  static Topology wordCount() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("lines", Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
        .filter((k, w) -> !w.isEmpty())
        .groupBy((k, w) -> w, Grouped.with(Serdes.String(), Serdes.String()))
        .count(Materialized.as("word-counts"))
        .toStream()
        .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  }

  /** A stream-table join: orders enriched with the customer's latest name. */
  static Topology join() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> customers = b.table("customers", Consumed.with(Serdes.String(), Serdes.String()),
        Materialized.as("customers-store"));
    b.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
        .join(customers, (order, customer) -> customer + " ordered " + order)
        .to("enriched", Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  }

  private Properties config(String dir, boolean sett) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "sett-dsl-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(dir).toString());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // every update reaches the store and the output
    if (sett) {
      p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    }
    return p;
  }

  private static boolean holdsSettStores(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().equals(SettKeyValueStore.PARENT_DIR)
          && Files.isDirectory(f));
    }
  }

  private List<KeyValue<String, Long>> countWords(boolean sett, List<String> lines) throws IOException {
    String dir = sett ? "sett" : "rocks";
    try (TopologyTestDriver driver = new TopologyTestDriver(wordCount(), config(dir, sett))) {
      TestInputTopic<String, String> in = driver.createInputTopic("lines", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, Long> out = driver.createOutputTopic("counts", new StringDeserializer(), new LongDeserializer());
      for (String line : lines) {
        in.pipeInput(null, line);
      }
      KeyValueStore<String, ValueAndTimestamp<Long>> store = driver.getTimestampedKeyValueStore("word-counts");
      assertTrue(store.approximateNumEntries() > 0);
      List<KeyValue<String, Long>> result = out.readKeyValuesToList();
      assertEquals(sett, holdsSettStores(stateDir.resolve(dir)), "which store kind the topology used");
      return result;
    }
  }

  @Test
  void aWordCountOnSettEmitsExactlyWhatItDoesOnRocksDb() throws IOException {
    Random r = new Random(8);
    String[] words = {"sett", "segment", "mapping", "view", "copy", "Kafka", "stream", "table", "log"};
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      StringBuilder line = new StringBuilder();
      for (int w = 0; w < 1 + r.nextInt(8); w++) {
        line.append(words[r.nextInt(words.length)]).append(r.nextBoolean() ? " " : ", ");
      }
      lines.add(line.toString());
    }
    List<KeyValue<String, Long>> onRocks = countWords(false, lines);
    List<KeyValue<String, Long>> onSett = countWords(true, lines);
    assertFalse(onSett.isEmpty());
    assertEquals(onRocks, onSett);
    Map<String, Long> last = new TreeMap<>();
    onSett.forEach(kv -> last.put(kv.key, kv.value));
    assertEquals(words.length, last.size());
  }

  private List<KeyValue<String, String>> runJoin(boolean sett, List<String[]> events) {
    try (TopologyTestDriver driver = new TopologyTestDriver(join(), config(sett ? "sett-join" : "rocks-join", sett))) {
      TestInputTopic<String, String> customers = driver.createInputTopic("customers", new StringSerializer(),
          new StringSerializer());
      TestInputTopic<String, String> orders = driver.createInputTopic("orders", new StringSerializer(),
          new StringSerializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("enriched", new StringDeserializer(),
          new StringDeserializer());
      for (String[] e : events) {
        (e[0].equals("c") ? customers : orders).pipeInput(e[1], e[2]);
      }
      return out.readKeyValuesToList();
    }
  }

  @Test
  void aStreamTableJoinOnSettEmitsExactlyWhatItDoesOnRocksDb() {
    Random r = new Random(3);
    List<String[]> events = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      String customer = "customer-" + r.nextInt(200);
      if (r.nextInt(3) == 0) {
        events.add(new String[] {"c", customer, r.nextInt(10) == 0 ? null : "name-" + i}); // null: the customer leaves
      } else {
        events.add(new String[] {"o", customer, "order-" + i});
      }
    }
    List<KeyValue<String, String>> onRocks = runJoin(false, events);
    List<KeyValue<String, String>> onSett = runJoin(true, events);
    assertTrue(onSett.size() > 1_000, "the join matched " + onSett.size() + " orders");
    assertEquals(onRocks, onSett);
  }
}
