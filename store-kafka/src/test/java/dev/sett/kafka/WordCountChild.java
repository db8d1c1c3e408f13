package dev.sett.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A word count on Sett under exactly-once (the topology {@link KillNineTopologyTest} kills), in a
 * JVM of its own against a real broker. Arguments: bootstrap servers, state directory, mode.
 * {@code run}: process until killed, printing {@code RUNNING} once the instance runs.
 * {@code finish}: process until the application's committed input offsets reach the end of the
 * input, then print every count from the store ({@code count WORD N}) and {@code DONE}, and close.
 */
public final class WordCountChild {
  static final String APP = "sett-wordcount";
  static final String INPUT = "words";
  static final String OUTPUT = "word-counts";
  static final String STORE = "counts";

  private WordCountChild() {
  }

  static Topology topology() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.<String, Long>as(SettStores.persistentKeyValueStore(STORE))
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
        .toStream()
        .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
    return builder.build();
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    Path stateDir = Path.of(args[1]);
    boolean finish = args[2].equals("finish");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0); // every update reaches the store
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // A killed instance leaves its group membership behind until its session times out (45 s by
    // default); the next instance's partitions wait for that. Short, so the test is not all waiting.
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 2000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
    KafkaStreams streams = new KafkaStreams(topology(), p);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      System.out.println("FAILED " + e);
      System.out.flush();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
          .SHUTDOWN_CLIENT;
    });
    streams.start();
    if (!running.await(120, TimeUnit.SECONDS)) {
      System.out.println("FAILED not running after 120 s: " + streams.state());
      System.exit(1);
    }
    System.out.println("RUNNING");
    System.out.flush();
    if (!finish) {
      Thread.sleep(Long.MAX_VALUE); // until SIGKILL
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      awaitCaughtUp(admin);
    }
    ReadOnlyKeyValueStore<String, Long> counts = streams.store(
        StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore()));
    Map<String, Long> all = new TreeMap<>();
    try (KeyValueIterator<String, Long> it = counts.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> kv = it.next();
        all.put(kv.key, kv.value);
      }
    }
    all.forEach((w, n) -> System.out.println("count " + w + " " + n));
    System.out.println("DONE");
    System.out.flush();
    streams.close(Duration.ofSeconds(60));
  }

  /** Waits until the application has committed every input record it was given. */
  private static void awaitCaughtUp(Admin admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> want = new java.util.HashMap<>();
      for (int partition = 0; partition < KillNineTopologyTest.PARTITIONS; partition++) {
        want.put(new TopicPartition(INPUT, partition), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(want).all().get();
      boolean done = true;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        done &= c != null && c.offset() >= e.getValue().offset();
      }
      if (done) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the application did not catch up with its input in 180 s");
  }
}
