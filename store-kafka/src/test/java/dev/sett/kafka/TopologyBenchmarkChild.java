package dev.sett.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One Kafka Streams instance of {@link TopologyBenchmark}'s topology, on Sett or on Kafka's default
 * RocksDB stores, against a running cluster. Arguments: bootstrap servers, {@code sett|rocksdb},
 * state directory, {@code process|restore}.
 *
 * <p>{@code process}: runs until the application has committed all its input, then prints
 * {@code name value} figures (records/s, the state stores' mean get and put latency from Kafka's
 * own store metrics, heap after GC, resident memory, state directory bytes) and closes.
 * {@code restore}: starts on an empty state directory, so every store is restored from its
 * changelog, and prints the seconds from start to {@code RUNNING}.
 */
public final class TopologyBenchmarkChild {
  static final String EVENTS = "bench-events";
  static final String PROFILES = "bench-profiles";
  static final String JOINED = "bench-joined";
  static final String COUNTS_OUT = "bench-counts";

  private TopologyBenchmarkChild() {
  }

  /** Counts events per key, and joins each event with its key's profile (a table lookup). */
  static Topology topology() {
    StreamsBuilder b = new StreamsBuilder();
    KTable<String, String> profiles = b.table(PROFILES, Consumed.with(Serdes.String(), Serdes.String()),
        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("profiles")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
    KStream<String, String> events = b.stream(EVENTS, Consumed.with(Serdes.String(), Serdes.String()));
    events.groupByKey()
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
        .toStream()
        .to(COUNTS_OUT, Produced.with(Serdes.String(), Serdes.Long()));
    events.join(profiles, (event, profile) -> profile.length() + ":" + event)
        .to(JOINED, Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  }

  static String applicationId(String kind) {
    return "bench-" + kind;
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String kind = args[1];
    Path stateDir = Path.of(args[2]);
    boolean restore = args[3].equals("restore");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId(kind));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    p.put(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "DEBUG"); // the stores' latency sensors
    // Commits every second (the default is 30 s), so that the end of the input is seen promptly.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    if (kind.equals("sett")) {
      p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, SettDslStoreSuppliers.class);
    }
    long start = System.nanoTime();
    KafkaStreams streams = new KafkaStreams(topology(), p);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.start();
    if (!running.await(600, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not running after 600 s: " + streams.state());
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (restore) {
      out.put("restore-seconds", String.format("%.2f", (System.nanoTime() - start) / 1e9));
    } else {
      long records;
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        records = awaitCaughtUp(admin, applicationId(kind));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.put("records", String.valueOf(records));
      out.put("records/s", String.format("%.0f", records / seconds));
      out.put("store-get-ns", storeLatency(streams, "get-latency-avg"));
      out.put("store-put-ns", storeLatency(streams, "put-latency-avg"));
    }
    ChildJvm.addMemoryFigures(out);
    // Leaving the group, so that the next run (the restore) need not wait for this member's
    // session to time out before it gets the partitions.
    streams.close(org.apache.kafka.streams.CloseOptions.groupMembershipOperation(
        org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(60)));
    out.put("state-dir-mib", String.format("%.0f", ChildJvm.duKib(stateDir) / 1024.0));
    out.forEach((k, v) -> System.out.println(k + " " + v));
  }

  /** Waits until every input record is committed; returns how many there are. */
  private static long awaitCaughtUp(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetSpec> want = new HashMap<>();
    for (String topic : new String[] {EVENTS, PROFILES}) {
      for (int i = 0; i < TopologyBenchmark.PARTITIONS; i++) {
        want.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
    }
    long total = 0;
    var ends = admin.listOffsets(want).all().get();
    for (var e : ends.values()) {
      total += e.offset();
    }
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      boolean done = true;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        done &= c != null && c.offset() >= e.getValue().offset();
      }
      if (done) {
        return total;
      }
      Thread.sleep(100);
    }
  }

  /** The mean of a state-store latency metric over the instance's stores, in ns ("-" if none). */
  private static String storeLatency(KafkaStreams streams, String name) {
    double sum = 0;
    int n = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName m = e.getKey();
      if (m.group().equals("stream-state-metrics") && m.name().equals(name)) {
        Object v = e.getValue().metricValue();
        if (v instanceof Double && !((Double) v).isNaN() && (Double) v > 0) {
          sum += (Double) v;
          n++;
        }
      }
    }
    return n == 0 ? "-" : String.format("%.0f", sum / n);
  }
}
