package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.api.NotAStoreException;
import dev.sett.api.Store;
import dev.sett.api.StoreMXBean;
import dev.sett.api.StoreOptions;
import dev.sett.api.StoreStats;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each open store shows in the platform MBean server for as long as it is open, and only then. */
class JmxTest {
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
  private static final StoreOptions OPTIONS = StoreOptions.builder().segmentSize(64 << 10).autoCompaction(false)
      .build();

  @TempDir Path tmp;

  private static ObjectName nameOf(Path dir) throws Exception {
    return new ObjectName("dev.sett:type=Store,name=" + ObjectName.quote(dir.toAbsolutePath().toString()));
  }

  @Test
  void anOpenStoresMBeanShowsItsStatsAndGoesAwayOnClose() throws Exception {
    Path dir = tmp.resolve("store");
    ObjectName name = nameOf(dir);
    Store s = Sett.open(dir, OPTIONS);
    try {
      for (int k = 0; k < 300; k++) {
        s.put(b("key" + k), new byte[500]);
      }
      s.delete(b("key0"));
      assertTrue(SERVER.isRegistered(name), name + " is not registered");
      StoreStats stats = s.stats();
      assertEquals(dir.toString(), SERVER.getAttribute(name, "Directory"));
      assertEquals(false, SERVER.getAttribute(name, "ReadOnly"));
      assertEquals(stats.liveKeys(), SERVER.getAttribute(name, "LiveKeys"));
      assertEquals(stats.segmentCount(), SERVER.getAttribute(name, "SegmentCount"));
      assertEquals(stats.diskBytes(), SERVER.getAttribute(name, "DiskBytes"));
      assertEquals(stats.dataBytes(), SERVER.getAttribute(name, "DataBytes"));
      assertEquals(stats.liveBytes(), SERVER.getAttribute(name, "LiveBytes"));
      assertEquals(stats.deadBytes(), SERVER.getAttribute(name, "DeadBytes"));
      assertEquals(stats.lastSequence(), SERVER.getAttribute(name, "LastSequence"));
      assertEquals(stats.indexBytes(), SERVER.getAttribute(name, "IndexBytes"));
      assertEquals(stats.compactionsRun(), SERVER.getAttribute(name, "CompactionsRun"));
      assertEquals(stats.spaceAmplification(), SERVER.getAttribute(name, "SpaceAmplification"));
      assertEquals(true, SERVER.getAttribute(name, "BackgroundTasksHealthy"));
      assertEquals(0L, SERVER.getAttribute(name, "BackgroundTaskFailures"));
      String[] tasks = (String[]) SERVER.getAttribute(name, "BackgroundTasks");
      assertEquals(2, tasks.length);
      assertTrue(tasks[0].startsWith("compaction: not running, 0 failures"), tasks[0]);
      assertTrue(tasks[1].startsWith("sealer: running, 0 failures"), tasks[1]);

      // A client with the interface reads the same figures through a proxy.
      StoreMXBean proxy = JMX.newMXBeanProxy(SERVER, name, StoreMXBean.class);
      assertEquals(299, proxy.getLiveKeys());
    } finally {
      s.close();
    }
    assertFalse(SERVER.isRegistered(name), "closing the store removes its MBean");
    s.close(); // a second close is a no-op, and must not fail on the missing MBean
    assertFalse(SERVER.isRegistered(name));
  }

  @Test
  void twoStoresHaveTwoMBeansAndAReadOnlyHandleHasOneToo() throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    try (Store a = Sett.open(first, OPTIONS); Store other = Sett.open(second, OPTIONS)) {
      a.put(b("k"), b("v"));
      assertEquals(other.stats().liveKeys(), SERVER.getAttribute(nameOf(second), "LiveKeys"));
      assertNotEquals(nameOf(first), nameOf(second));
      assertEquals(1L, SERVER.getAttribute(nameOf(first), "LiveKeys"));
      assertEquals(0L, SERVER.getAttribute(nameOf(second), "LiveKeys"));
    }
    assertFalse(SERVER.isRegistered(nameOf(first)));
    assertFalse(SERVER.isRegistered(nameOf(second)));

    try (Store readOnly = Sett.open(first, OPTIONS.toBuilder().readOnly(true).build())) {
      assertEquals(true, SERVER.getAttribute(nameOf(first), "ReadOnly"));
      assertEquals(readOnly.stats().liveKeys(), SERVER.getAttribute(nameOf(first), "LiveKeys"));
    }
    assertFalse(SERVER.isRegistered(nameOf(first)));
  }

  @Test
  void aNameAlreadyTakenCostsTheSecondHandleItsMBeanButNotItsOpen() throws Exception {
    Path dir = tmp.resolve("store");
    try (Store s = Sett.open(dir, OPTIONS)) {
      s.put(b("k"), b("v"));
    }
    StoreOptions readOnly = OPTIONS.toBuilder().readOnly(true).build();
    try (Store first = Sett.open(dir, readOnly)) {
      try (Store second = Sett.open(dir, readOnly)) {
        assertArrayEquals(b("v"), second.get(b("k")), "the second handle opened without an MBean");
      }
      assertTrue(SERVER.isRegistered(nameOf(dir)), "closing the second handle left the first one's MBean alone");
      assertEquals(1L, SERVER.getAttribute(nameOf(dir), "LiveKeys"));
      first.get(b("k"));
    }
    assertFalse(SERVER.isRegistered(nameOf(dir)));
  }

  @Test
  void jmxFalseRegistersNothing() throws Exception {
    Path dir = tmp.resolve("store");
    try (Store s = Sett.open(dir, OPTIONS.toBuilder().jmx(false).build())) {
      s.put(b("k"), b("v"));
      assertFalse(SERVER.isRegistered(nameOf(dir)));
    }
  }

  @Test
  void aFailedOpenLeavesNoMBean() throws Exception {
    Path dir = tmp.resolve("not-a-store");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "not Sett's");
    assertThrows(NotAStoreException.class, () -> Sett.open(dir, OPTIONS));
    assertFalse(SERVER.isRegistered(nameOf(dir)));
    assertEquals(0, SERVER.queryNames(new ObjectName("dev.sett:type=Store,*"), null).stream()
        .filter(n -> n.getKeyProperty("name").contains(tmp.toString())).count(), "no MBean of this test is left");
  }
}
