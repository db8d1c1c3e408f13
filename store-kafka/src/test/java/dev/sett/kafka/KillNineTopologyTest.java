package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole topology on Sett, killed: a word count under exactly-once runs in a child JVM against a
 * real one-node KRaft cluster (Kafka's own test kit, in this JVM), is killed with SIGKILL at random
 * moments while input keeps arriving, restarts each time on the same state directory (and so
 * against its Sett files, Kafka's checkpoint and the changelog), and at the end its store and its
 * output topic hold exactly the counts an uninterrupted run computes from the input.
 */
class KillNineTopologyTest {
  static final int PARTITIONS = 2;
  private static final int KILLS = 4;
  private static final int RECORDS_PER_ROUND = 15_000;
  private static final int WORDS = 700;

  private static KafkaClusterTestKit cluster;
  @TempDir
  static Path brokerDir;
  @TempDir
  Path stateDir;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(brokerDir).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("group.min.session.timeout.ms", "1000") // the children's 2 s sessions
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(WordCountChild.INPUT, PARTITIONS, (short) 1),
          new NewTopic(WordCountChild.OUTPUT, PARTITIONS, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aWordCountKilledRepeatedlyEndsWithTheCountsOfAnUninterruptedRun() throws Exception {
    Random random = new Random(20261205);
    Map<String, Long> expected = new TreeMap<>();
    int killedMidStream = 0;
    for (int round = 0; round < KILLS; round++) {
      produce(random, expected, RECORDS_PER_ROUND / 2, false); // a backlog the restarted child works through
      Random trickleRandom = new Random(random.nextLong());
      Map<String, Long> trickled = new TreeMap<>();
      Process child = start("run");
      Thread producer = null;
      AtomicReference<Exception> producerFailure = new AtomicReference<>();
      long producedAtKill;
      try (BufferedReader out = reader(child)) {
        assertNotNull(awaitLine(out, "RUNNING"), "round " + round + ": the topology never ran");
        // The rest of the round arrives while the child runs, for longer than the wait below, so the
        // kill always meets input in flight, however fast this machine processes the backlog.
        producer = new Thread(() -> {
          try {
            produce(trickleRandom, trickled, RECORDS_PER_ROUND / 2, true);
          } catch (Exception e) {
            producerFailure.set(e);
          }
        }, "trickle-producer");
        producer.start();
        Thread.sleep(200 + random.nextInt(1200));
        producedAtKill = inputEnd();
      } finally {
        child.destroyForcibly(); // SIGKILL: no close, no flush, no final commit
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        if (producer != null) {
          producer.join(60_000);
        }
      }
      if (producerFailure.get() != null) {
        throw new AssertionError("round " + round + ": producing the input failed", producerFailure.get());
      }
      assertTrue(!producer.isAlive(), "round " + round + ": the producer did not finish");
      trickled.forEach((word, n) -> expected.merge(word, n, Long::sum));
      long behind = producedAtKill - committedInput();
      System.out.printf("round %d: killed with %,d of the %,d input records then written not yet committed%n",
          round, behind, producedAtKill);
      killedMidStream += behind > 0 ? 1 : 0;
    }
    assertTrue(killedMidStream > 0, "no kill landed before the input was all processed: the test tested nothing");
    produce(random, expected, RECORDS_PER_ROUND, false);

    Process last = start("finish");
    Map<String, Long> stored = new TreeMap<>();
    try (BufferedReader out = reader(last)) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("DONE")) {
        assertTrue(!line.startsWith("FAILED"), line);
        if (line.startsWith("count ")) {
          String[] f = line.split(" ");
          stored.put(f[1], Long.parseLong(f[2]));
        }
      }
      assertEquals("DONE", line, "the last run did not finish");
    } finally {
      assertTrue(last.waitFor(90, TimeUnit.SECONDS), "the last run did not close");
    }
    assertEquals(expected, stored, "the Sett store after " + KILLS + " kills differs from the input's counts");
    assertEquals(expected, lastCommittedOutput(), "the output topic's final counts differ from the input's");
    try (Stream<Path> files = Files.walk(stateDir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".seg")),
          "the state directory holds no Sett segment: the topology did not run on Sett");
    }
  }

  private Process start(String mode) throws Exception {
    return new ProcessBuilder(ChildJvm.command("384m", WordCountChild.class, cluster.bootstrapServers(),
        stateDir.toString(), mode)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  private static String awaitLine(BufferedReader out, String wanted) throws Exception {
    String line;
    while ((line = out.readLine()) != null) {
      assertTrue(!line.startsWith("FAILED"), line);
      if (line.equals(wanted)) {
        return line;
      }
    }
    return null;
  }

  /** Input records written so far: the sum of the input partitions' end offsets. */
  private static long inputEnd() throws Exception {
    try (Admin admin = cluster.admin()) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> want = new HashMap<>();
      for (int i = 0; i < PARTITIONS; i++) {
        want.put(new org.apache.kafka.common.TopicPartition(WordCountChild.INPUT, i),
            org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      long end = 0;
      for (var e : admin.listOffsets(want).all().get().values()) {
        end += e.offset();
      }
      return end;
    }
  }

  /** Input records the application has committed: the sum of its group's committed offsets. */
  private static long committedInput() throws Exception {
    try (Admin admin = cluster.admin()) {
      long committed = 0;
      for (var c : admin.listConsumerGroupOffsets(WordCountChild.APP).partitionsToOffsetAndMetadata().get().values()) {
        committed += c == null ? 0 : c.offset();
      }
      return committed;
    }
  }

  /**
   * Sends {@code records} words (skewed: a few are common), counting them into {@code expected}; if
   * {@code trickle}, spread over about two seconds rather than at once.
   */
  private static void produce(Random random, Map<String, Long> expected, int records, boolean trickle)
      throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < records; i++) {
        int n = (int) Math.floor(Math.pow(random.nextDouble(), 2) * WORDS);
        String word = "word-" + n;
        producer.send(new ProducerRecord<>(WordCountChild.INPUT, word, word));
        expected.merge(word, 1L, Long::sum);
        if (trickle && i % 20 == 19) {
          producer.flush();
          Thread.sleep(5);
        }
      }
      producer.flush();
    }
  }

  /** The last committed value of each key in the output topic, read to its end. */
  private static Map<String, Long> lastCommittedOutput() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, Long> last = new TreeMap<>();
    try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new LongDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
      for (int i = 0; i < PARTITIONS; i++) {
        parts.add(new org.apache.kafka.common.TopicPartition(WordCountChild.OUTPUT, i));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<org.apache.kafka.common.TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(parts));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
          last.put(r.key(), r.value());
        }
      }
    }
    return last;
  }
}
