package dev.sett.core;

import static dev.sett.core.StoreTestSupport.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sett.api.Store;
import dev.sett.api.StoreFacts;
import dev.sett.api.StoreOptions;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-store facts a later open needs, remembered in the store: its marker file records the
 * segment size new segments get and the largest key and value limits the data was written with
 * (each segment's header records its own size). Extra marker lines keep the store at format
 * version 1: a Sett that does not know them reads only {@code format-version}.
 */
class StoreFactsTest {
  @TempDir Path dir;

  private static byte[] filled(int size, int seed) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) seed);
    return v;
  }

  private static StoreOptions.Builder manual() {
    return StoreOptions.builder().autoCompaction(false);
  }



  private Properties marker() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(dir.resolve(StoreDirectory.MARKER), StandardCharsets.UTF_8)));
    return p;
  }

  @Test
  void theMarkerRecordsTheSegmentSizeAndTheLargestLimitsTheDataWasWrittenWith() throws IOException {
    try (Store s = Sett.open(dir, manual().segmentSize(128 << 10).maxKeySize(100).maxValueSize(1000).build())) {
      s.put(b("k"), b("v"));
    }
    Properties p = marker();
    assertEquals("1", p.getProperty("format-version"));
    assertEquals("131072", p.getProperty("segment-size"));
    assertEquals("100", p.getProperty("max-key-size"));
    assertEquals("1000", p.getProperty("max-value-size"));
    assertEquals(Optional.of(new StoreFacts(128 << 10, 100, 1000)), Sett.facts(dir));

    try (Store s = Sett.open(dir, manual().segmentSize(64 << 10).maxKeySize(50).maxValueSize(500).build())) {
      s.put(b("k"), b("w"));
    }
    assertEquals(Optional.of(new StoreFacts(64 << 10, 100, 1000)), Sett.facts(dir),
        "new segments get the new size; the limits keep the largest the data may have been written with");
    try (Store s = Sett.open(dir, manual().readOnly(true).build())) {
      assertArrayEquals(b("w"), s.get(b("k")));
    }
    assertEquals(Optional.of(new StoreFacts(64 << 10, 100, 1000)), Sett.facts(dir), "a read-only open writes nothing");
  }

  @Test
  void aStoreWrittenBeforeFactsWereRecordedReadsItsLongKeysAndGetsFactsOnTheNextWritableOpen() throws IOException {
    byte[] longKey = filled(5000, 'L');
    try (Store s = Sett.open(dir, manual().maxKeySize(8000).build())) {
      s.put(longKey, filled(70_000, 1));
    }
    // What an older Sett wrote: the format version only.
    Files.writeString(dir.resolve(StoreDirectory.MARKER), "# Sett store. Do not edit or delete.\nformat-version=1\n");
    assertEquals(Optional.empty(), Sett.facts(dir));
    try (Store s = Sett.open(dir, manual().readOnly(true).build())) {
      assertArrayEquals(filled(70_000, 1), s.get(longKey), "the longest key found on disk may be read");
    }
    try (Store s = Sett.open(dir, manual().build())) {
      assertArrayEquals(filled(70_000, 1), s.get(longKey));
    }
    StoreFacts facts = Sett.facts(dir).orElseThrow();
    assertEquals(StoreOptions.DEFAULT_SEGMENT_SIZE, facts.segmentSize());
    assertEquals(5000, facts.maxKeySize(), "the longest key found, over the default limit");
    assertEquals(StoreOptions.DEFAULT_MAX_VALUE_SIZE, facts.maxValueSize());
  }

  @Test
  void aMarkerWithFactsIsStillFormatVersionOneAndOpensWithAnyOptions() throws IOException {
    // The facts are extra lines of the marker; a Sett that does not know them reads format-version
    // only (java.util.Properties), so the store stays format version 1.
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(StoreDirectory.MARKER), "# Sett store. Do not edit or delete.\nformat-version=1\n"
        + "segment-size=131072\nmax-key-size=100\nmax-value-size=1000\nsome-later-fact=yes\n");
    try (Store s = Sett.open(dir, manual().build())) {
      s.put(b("k"), b("v"));
    }
    assertEquals("yes", marker().getProperty("some-later-fact"), "facts this Sett does not know are kept");
    assertEquals(Optional.of(new StoreFacts(StoreOptions.DEFAULT_SEGMENT_SIZE, 4096,
        StoreOptions.DEFAULT_MAX_VALUE_SIZE)), Sett.facts(dir));
  }

  @Test
  void damagedFactsAreIgnoredAndRewritten() throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(StoreDirectory.MARKER), "format-version=1\nsegment-size=12\nmax-key-size=x\n");
    assertEquals(Optional.empty(), Sett.facts(dir));
    try (Store s = Sett.open(dir, manual().segmentSize(64 << 10).build())) {
      s.put(b("k"), b("v"));
    }
    assertEquals(Optional.of(new StoreFacts(64 << 10, 4096, (64 << 10) - 128 - 4096)), Sett.facts(dir));
  }
}
