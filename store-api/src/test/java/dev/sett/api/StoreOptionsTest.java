package dev.sett.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreOptionsTest {
  @Test
  void defaultsAreSafeAndDocumented() {
    StoreOptions o = StoreOptions.defaults();
    assertEquals(64 << 20, o.segmentSize());
    assertEquals(SyncMode.NONE, o.syncMode());
    assertFalse(o.readOnly());
    assertFalse(o.verifyChecksums());
    assertFalse(o.salvage());
    assertEquals(16 << 20, o.maxValueSize());
  }

  @Test
  void compactionSettingsHaveDefaultsAndAreChecked() {
    StoreOptions o = StoreOptions.defaults();
    assertTrue(o.autoCompaction());
    assertEquals(0.5, o.compactionTriggerRatio());
    assertEquals(512L << 20, o.compactionTriggerBytes());
    assertEquals(0.3, o.compactionIncludeRatio());
    StoreOptions custom = StoreOptions.builder().compactionTrigger(0.7, 1 << 20).compactionInclude(0.2, 0)
        .autoCompaction(false).build();
    assertEquals(0.7, custom.compactionTriggerRatio());
    assertEquals(0, custom.toBuilder().build().compactionSmallSegmentBytes());
    assertFalse(custom.autoCompaction());
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().compactionTrigger(0, 1));
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().compactionTrigger(1.5, 1));
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().compactionTrigger(0.5, 0));
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().compactionInclude(0.5, -1));
  }

  @Test
  void valueLimitShrinksToFitSmallSegments() {
    StoreOptions o = StoreOptions.builder().segmentSize(64 << 10).build();
    assertEquals((64 << 10) - StoreOptions.SEGMENT_OVERHEAD - StoreOptions.DEFAULT_MAX_KEY_SIZE, o.maxValueSize());
  }

  @Test
  void toBuilderKeepsEverySetting() {
    StoreOptions o = StoreOptions.builder().segmentSize(1 << 20).syncMode(SyncMode.ALWAYS).readOnly(true)
        .maxKeySize(100).maxValueSize(5000).verifyChecksums(true).salvage(true)
        .slowOperationThreshold(java.time.Duration.ofMillis(7)).jmx(false).build();
    assertEquals(o.toString(), o.toBuilder().build().toString());
    assertTrue(o.toBuilder().build().verifyChecksums());
    assertEquals(java.time.Duration.ofMillis(7), o.toBuilder().build().slowOperationThreshold());
    assertFalse(o.toBuilder().build().jmx());
  }

  @Test
  void observabilitySettingsHaveDefaultsAndAreChecked() {
    assertEquals(java.time.Duration.ofMillis(100), StoreOptions.defaults().slowOperationThreshold());
    assertTrue(StoreOptions.defaults().jmx());
    assertEquals(java.time.Duration.ZERO,
        StoreOptions.builder().slowOperationThreshold(java.time.Duration.ZERO).build().slowOperationThreshold());
    InvalidInputException negative = assertThrows(InvalidInputException.class,
        () -> StoreOptions.builder().slowOperationThreshold(java.time.Duration.ofMillis(-1)));
    assertTrue(negative.getMessage().contains("slowOperationThreshold"), negative.getMessage());
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().slowOperationThreshold(null));
  }

  @Test
  void limitsThatCannotFitAreRefused() {
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().segmentSize(1 << 16).maxKeySize(65535)
        .maxValueSize(100).build());
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().segmentSize(Integer.MAX_VALUE));
    assertThrows(InvalidInputException.class, () -> StoreOptions.builder().maxValueSize(-1));
  }
}
