package dev.sett.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real topology on a real (one-node, in-process KRaft) cluster, on Sett and on Kafka's default
 * RocksDB stores: {@link TopologyBenchmarkChild#topology()} counts events per key and joins each
 * event with its key's profile. The input ({@code records} events over {@code keys} keys, uniform,
 * and one 100-byte profile per key) is produced once; then, per store kind, one instance in a JVM of
 * its own ({@code -Xms2g -Xmx2g}) processes all of it (records/s to the last commit, the stores'
 * mean get and put latency from Kafka's metrics, heap, resident memory, disk), and a second one,
 * started on an empty state directory, restores the two stores from their changelogs ({@code keys}
 * records each): seconds to {@code RUNNING}.
 *
 * <p>Run (classpath as for {@link StoreFootprint}):
 * {@code java -cp ... dev.sett.kafka.TopologyBenchmark 1000000 3000000}.
 */
public final class TopologyBenchmark {
  static final int PARTITIONS = 2;

  private TopologyBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int keys = Integer.parseInt(args[0]);
    int records = Integer.parseInt(args[1]);
    Map<String, Map<String, String>> results = run(keys, records, Files.createTempDirectory("topology-bench"));
    System.out.printf("%,d keys, %,d events, %d partitions; one JVM per run%n", keys, records, PARTITIONS);
    System.out.printf("%-20s %14s %14s%n", "figure", "Sett", "RocksDB");
    for (String figure : results.get("sett").keySet()) {
      System.out.printf("%-20s %14s %14s%n", figure, results.get("sett").get(figure),
          results.get("rocksdb").getOrDefault(figure, "-"));
    }
  }

  @SuppressWarnings("try") // the test kit's close() may throw InterruptedException; run() throws Exception anyway
  static Map<String, Map<String, String>> run(int keys, int records, Path work) throws Exception {
    Map<String, Map<String, String>> results = new LinkedHashMap<>();
    try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
        .setBaseDirectory(Files.createDirectories(work.resolve("broker"))).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      try (Admin admin = cluster.admin()) {
        admin.createTopics(List.of(new NewTopic(TopologyBenchmarkChild.EVENTS, PARTITIONS, (short) 1),
            new NewTopic(TopologyBenchmarkChild.PROFILES, PARTITIONS, (short) 1),
            new NewTopic(TopologyBenchmarkChild.JOINED, PARTITIONS, (short) 1),
            new NewTopic(TopologyBenchmarkChild.COUNTS_OUT, PARTITIONS, (short) 1))).all().get();
      }
      produce(cluster.bootstrapServers(), keys, records);
      for (String kind : List.of("sett", "rocksdb")) {
        Map<String, String> figures = new LinkedHashMap<>();
        Path state = work.resolve("state-" + kind);
        figures.putAll(ChildJvm.figures(ChildJvm.command("2g", TopologyBenchmarkChild.class,
            cluster.bootstrapServers(), kind, state.toString(), "process")));
        StoreFootprint.deleteTree(state);
        Map<String, String> restore = ChildJvm.figures(ChildJvm.command("2g", TopologyBenchmarkChild.class,
            cluster.bootstrapServers(), kind, state.toString(), "restore"));
        figures.put("restore-seconds", restore.get("restore-seconds"));
        figures.put("restore-rss-mib", restore.get("rss-mib"));
        figures.put("restore-heap-mib", restore.get("heap-mib-after-gc"));
        StoreFootprint.deleteTree(state);
        results.put(kind, figures);
      }
    }
    return results;
  }

  private static void produce(String bootstrap, int keys, int records) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
    String profile = "p".repeat(100);
    SplittableRandom r = new SplittableRandom(7);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int k = 0; k < keys; k++) {
        producer.send(new ProducerRecord<>(TopologyBenchmarkChild.PROFILES, key(k), profile));
      }
      producer.flush(); // profiles first, so that the join finds them (stream-table joins are not retried)
      for (int n = 0; n < records; n++) {
        producer.send(new ProducerRecord<>(TopologyBenchmarkChild.EVENTS, key(r.nextInt(keys)), "e" + n));
      }
      producer.flush();
    }
  }

  private static String key(int k) {
    return String.format("key-%09d", k);
  }
}
