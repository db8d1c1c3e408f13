package dev.sett.api;

/**
 * How a store is opened. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * StoreOptions options = StoreOptions.builder()
 *     .segmentSize(128 << 20)
 *     .syncMode(SyncMode.ALWAYS)
 *     .build();
 * }</pre>
 */
public final class StoreOptions {
  /** Default segment file size: 64 MiB. */
  public static final int DEFAULT_SEGMENT_SIZE = 64 << 20;
  /** Smallest segment size accepted: 64 KiB. */
  public static final int MIN_SEGMENT_SIZE = 64 << 10;
  /** Largest segment size accepted: 1 GiB. */
  public static final int MAX_SEGMENT_SIZE = 1 << 30;
  /** Default key size limit. */
  public static final int DEFAULT_MAX_KEY_SIZE = 4096;
  /** Largest key the on-disk format can hold. */
  public static final int MAX_KEY_SIZE_LIMIT = 65535;
  /** Default value size limit (smaller if the segment size requires it). */
  public static final int DEFAULT_MAX_VALUE_SIZE = 16 << 20;
  /**
   * Bytes a segment needs beside one record's key and value: the segment header and a record
   * header, rounded up. A record must fit in one segment.
   */
  public static final int SEGMENT_OVERHEAD = 128;

  /**
   * Default dead share of a segment that starts a compaction: 50%, below Bitcask's 60% because with
   * 60% a half-overwritten workload settled at 1.5 to 1.9 times its live data on disk (measured with
   * store-bench's CompactionWorkloads); the price is more copying.
   */
  public static final double DEFAULT_COMPACTION_TRIGGER_RATIO = 0.5;
  /** Default dead bytes in one segment that start a compaction whatever the share (512 MiB). */
  public static final long DEFAULT_COMPACTION_TRIGGER_BYTES = 512L << 20;
  /** Default dead share above which a segment joins a compaction that runs anyway (30%). */
  public static final double DEFAULT_COMPACTION_INCLUDE_RATIO = 0.3;
  /** Default data size under which a segment with dead records joins a running compaction (10 MiB). */
  public static final long DEFAULT_COMPACTION_SMALL_SEGMENT_BYTES = 10L << 20;

  /** Default number of attempts {@link Store#update} makes at a conflicting transaction. */
  public static final int DEFAULT_TRANSACTION_ATTEMPTS = 32;

  /**
   * Default duration from which a store call counts as slow and is recorded as a
   * {@code dev.sett.SlowOperation} JFR event: 100 ms, far above a healthy call (microseconds) and
   * below what a service's request would notice.
   */
  public static final java.time.Duration DEFAULT_SLOW_OPERATION_THRESHOLD = java.time.Duration.ofMillis(100);

  private static final StoreOptions DEFAULTS = builder().build();

  private final int segmentSize;
  private final SyncMode syncMode;
  private final boolean readOnly;
  private final int maxKeySize;
  private final int maxValueSize;
  private final boolean verifyChecksums;
  private final boolean salvage;
  private final boolean autoCompaction;
  private final double compactionTriggerRatio;
  private final long compactionTriggerBytes;
  private final double compactionIncludeRatio;
  private final long compactionSmallSegmentBytes;
  private final int transactionAttempts;
  private final java.time.Duration defaultTtl;
  private final java.time.InstantSource clock;
  private final java.time.Duration slowOperationThreshold;
  private final boolean jmx;

  private StoreOptions(Builder b) {
    this.segmentSize = b.segmentSize;
    this.syncMode = b.syncMode;
    this.readOnly = b.readOnly;
    this.maxKeySize = b.maxKeySize;
    this.maxValueSize = b.maxValueSize >= 0 ? b.maxValueSize
        : Math.min(DEFAULT_MAX_VALUE_SIZE, b.segmentSize - SEGMENT_OVERHEAD - b.maxKeySize);
    this.verifyChecksums = b.verifyChecksums;
    this.salvage = b.salvage;
    this.autoCompaction = b.autoCompaction;
    this.compactionTriggerRatio = b.compactionTriggerRatio;
    this.compactionTriggerBytes = b.compactionTriggerBytes;
    this.compactionIncludeRatio = b.compactionIncludeRatio;
    this.compactionSmallSegmentBytes = b.compactionSmallSegmentBytes;
    this.transactionAttempts = b.transactionAttempts;
    this.defaultTtl = b.defaultTtl;
    this.clock = b.clock;
    this.slowOperationThreshold = b.slowOperationThreshold;
    this.jmx = b.jmx;
  }

  /** {@return the defaults: 64 MiB segments, {@link SyncMode#NONE}, read-write, no checksum on read} */
  public static StoreOptions defaults() {
    return DEFAULTS;
  }

  /** {@return a builder holding the defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this object's settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.segmentSize = segmentSize;
    b.syncMode = syncMode;
    b.readOnly = readOnly;
    b.maxKeySize = maxKeySize;
    b.maxValueSize = maxValueSize;
    b.verifyChecksums = verifyChecksums;
    b.salvage = salvage;
    b.autoCompaction = autoCompaction;
    b.compactionTriggerRatio = compactionTriggerRatio;
    b.compactionTriggerBytes = compactionTriggerBytes;
    b.compactionIncludeRatio = compactionIncludeRatio;
    b.compactionSmallSegmentBytes = compactionSmallSegmentBytes;
    b.transactionAttempts = transactionAttempts;
    b.defaultTtl = defaultTtl;
    b.clock = clock;
    b.slowOperationThreshold = slowOperationThreshold;
    b.jmx = jmx;
    return b;
  }

  /**
   * Largest size in bytes of a new segment file (larger only for a record that does not fit in
   * it). A store starts with 64 KiB segments and makes each new one as large as its segments
   * together, up to this size, so a small store stays small on disk; existing segments keep their
   * size.
   *
   * @return the largest size of a new segment file
   */
  public int segmentSize() {
    return segmentSize;
  }

  /** {@return when writes are forced to disk} */
  public SyncMode syncMode() {
    return syncMode;
  }

  /** {@return whether the store is opened read-only} No writes, no recovery changes on disk, shared lock. */
  public boolean readOnly() {
    return readOnly;
  }

  /** {@return the largest key accepted, in bytes} */
  public int maxKeySize() {
    return maxKeySize;
  }

  /** {@return the largest value accepted, in bytes} */
  public int maxValueSize() {
    return maxValueSize;
  }

  /** {@return whether every read checks the record's CRC32C} A read then throws {@link CorruptionException} on damage. */
  public boolean verifyChecksums() {
    return verifyChecksums;
  }

  /**
   * Whether open drops damaged records instead of failing with {@link CorruptionException}. What
   * was dropped is logged; use it to get a store back, then check what is missing.
   *
   * @return true if open salvages
   */
  public boolean salvage() {
    return salvage;
  }

  /** {@return whether a background thread compacts when the thresholds are crossed} Default on. */
  public boolean autoCompaction() {
    return autoCompaction;
  }

  /** {@return the dead share of one segment that starts a compaction} */
  public double compactionTriggerRatio() {
    return compactionTriggerRatio;
  }

  /** {@return the dead bytes in one segment that start a compaction whatever their share} */
  public long compactionTriggerBytes() {
    return compactionTriggerBytes;
  }

  /** {@return the dead share above which a segment joins a compaction that was started anyway} */
  public double compactionIncludeRatio() {
    return compactionIncludeRatio;
  }

  /** {@return the data size under which a segment with dead records joins a compaction started anyway} */
  public long compactionSmallSegmentBytes() {
    return compactionSmallSegmentBytes;
  }

  /** {@return how many times {@link Store#update} and {@link Store#compute} run a transaction that keeps conflicting} */
  public int transactionAttempts() {
    return transactionAttempts;
  }

  /**
   * {@return how long a put without a ttl of its own lives, or null (the default) if such puts never
   * expire}
   */
  public java.time.Duration defaultTtl() {
    return defaultTtl;
  }

  /** {@return the clock expiry is measured by (the system clock unless a test set another)} */
  public java.time.InstantSource clock() {
    return clock;
  }

  /**
   * {@return how long a put, get, write or scan may take before it is recorded as a
   * {@code dev.sett.SlowOperation} JFR event} Only matters while a JFR recording enables that event.
   */
  public java.time.Duration slowOperationThreshold() {
    return slowOperationThreshold;
  }

  /**
   * {@return whether the open store registers a JMX MBean ({@code dev.sett:type=Store,name=<directory>})} Default on.
   */
  public boolean jmx() {
    return jmx;
  }

  /** Checks a ttl given to a put: positive. */
  static void requireTtl(java.time.Duration ttl) {
    if (ttl == null || ttl.isZero() || ttl.isNegative()) {
      throw new InvalidInputException("ttl " + ttl + " is invalid: it must be positive (use the put without a"
          + " ttl for a value that follows StoreOptions.defaultTtl)");
    }
  }

  @Override
  public String toString() {
    return "StoreOptions{segmentSize=" + segmentSize + ", syncMode=" + syncMode + ", readOnly="
        + readOnly + ", maxKeySize=" + maxKeySize + ", maxValueSize=" + maxValueSize
        + ", verifyChecksums=" + verifyChecksums + ", salvage=" + salvage
        + ", autoCompaction=" + autoCompaction + ", compactionTriggerRatio=" + compactionTriggerRatio
        + ", compactionTriggerBytes=" + compactionTriggerBytes + ", compactionIncludeRatio="
        + compactionIncludeRatio + ", compactionSmallSegmentBytes=" + compactionSmallSegmentBytes
        + ", transactionAttempts=" + transactionAttempts + ", defaultTtl=" + defaultTtl
        + ", slowOperationThreshold=" + slowOperationThreshold + ", jmx=" + jmx
        + (clock == java.time.InstantSource.system() ? "" : ", clock=" + clock) + '}';
  }

  /**
   * Collects settings for a {@link StoreOptions}. Each setter checks its own argument; {@link #build()}
   * checks that they fit together. Not thread-safe.
   */
  public static final class Builder {
    private int segmentSize = DEFAULT_SEGMENT_SIZE;
    private SyncMode syncMode = SyncMode.NONE;
    private boolean readOnly;
    private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
    private int maxValueSize = -1;
    private boolean verifyChecksums;
    private boolean salvage;
    private boolean autoCompaction = true;
    private double compactionTriggerRatio = DEFAULT_COMPACTION_TRIGGER_RATIO;
    private long compactionTriggerBytes = DEFAULT_COMPACTION_TRIGGER_BYTES;
    private double compactionIncludeRatio = DEFAULT_COMPACTION_INCLUDE_RATIO;
    private long compactionSmallSegmentBytes = DEFAULT_COMPACTION_SMALL_SEGMENT_BYTES;
    private int transactionAttempts = DEFAULT_TRANSACTION_ATTEMPTS;
    private java.time.Duration defaultTtl;
    private java.time.InstantSource clock = java.time.InstantSource.system();
    private java.time.Duration slowOperationThreshold = DEFAULT_SLOW_OPERATION_THRESHOLD;
    private boolean jmx = true;

    private Builder() {
    }

    /**
     * Size new segment files grow to, a multiple of 4096 between {@link #MIN_SEGMENT_SIZE} and
     * {@link #MAX_SEGMENT_SIZE}; a store's first segments are smaller (see
     * {@link StoreOptions#segmentSize()}). Larger segments mean fewer files and rolls; smaller ones
     * let compaction reclaim space in smaller steps.
     *
     * @param bytes the size new segment files grow to
     * @return this builder
     * @throws InvalidInputException if the size is out of range or not a multiple of 4096
     */
    public Builder segmentSize(int bytes) {
      if (bytes < MIN_SEGMENT_SIZE || bytes > MAX_SEGMENT_SIZE || bytes % 4096 != 0) {
        throw new InvalidInputException("segmentSize " + bytes + " is invalid: it must be a multiple of"
            + " 4096 between " + MIN_SEGMENT_SIZE + " and " + MAX_SEGMENT_SIZE);
      }
      this.segmentSize = bytes;
      return this;
    }

    /**
     * When writes are forced to disk; default {@link SyncMode#NONE}.
     *
     * @param mode the sync mode
     * @return this builder
     * @throws InvalidInputException if {@code mode} is null
     */
    public Builder syncMode(SyncMode mode) {
      if (mode == null) {
        throw new InvalidInputException("syncMode must not be null");
      }
      this.syncMode = mode;
      return this;
    }

    /**
     * Open without writing anything, sharing the directory with other read-only handles.
     *
     * @param readOnly true for a read-only store
     * @return this builder
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /**
     * Largest key a put (or a batch's put) may add, 1 to {@link #MAX_KEY_SIZE_LIMIT} bytes; default
     * 4096. Reads and deletes take any key up to {@link #MAX_KEY_SIZE_LIMIT}, so a store reopened
     * with a smaller limit than it was written with still reads every key it holds.
     *
     * @param bytes the largest key a write may add
     * @return this builder
     * @throws InvalidInputException if {@code bytes} is out of range
     */
    public Builder maxKeySize(int bytes) {
      if (bytes < 1 || bytes > MAX_KEY_SIZE_LIMIT) {
        throw new InvalidInputException("maxKeySize " + bytes + " is invalid: it must be between 1 and "
            + MAX_KEY_SIZE_LIMIT);
      }
      this.maxKeySize = bytes;
      return this;
    }

    /**
     * Largest value a put may add, in bytes; default 16 MiB or what fits in a segment. A key and a
     * value of the largest sizes must fit in one segment together with {@link #SEGMENT_OVERHEAD}.
     * Values already in the store read whatever their size, and compaction moves a record bigger
     * than a segment into a segment sized to fit it.
     *
     * @param bytes the largest value a write may add
     * @return this builder
     * @throws InvalidInputException if {@code bytes} is negative
     */
    public Builder maxValueSize(int bytes) {
      if (bytes < 0) {
        throw new InvalidInputException("maxValueSize " + bytes + " is invalid: it must not be negative");
      }
      this.maxValueSize = bytes;
      return this;
    }

    /**
     * Check each record's CRC32C on every read; default off (recovery and verify always check).
     *
     * @param verify true to check on every read
     * @return this builder
     */
    public Builder verifyChecksums(boolean verify) {
      this.verifyChecksums = verify;
      return this;
    }

    /**
     * Drop damaged records on open instead of failing; default off.
     *
     * @param salvage true to drop damaged records
     * @return this builder
     */
    public Builder salvage(boolean salvage) {
      this.salvage = salvage;
      return this;
    }

    /**
     * Compact in the background when the thresholds are crossed; default on.
     *
     * @param auto false to compact only when {@link Store#compact()} is called
     * @return this builder
     */
    public Builder autoCompaction(boolean auto) {
      this.autoCompaction = auto;
      return this;
    }

    /**
     * A compaction starts when a segment's dead share reaches {@code ratio} (0 to 1, default 0.5) or
     * its dead bytes reach {@code bytes} (default 512 MiB).
     *
     * @param ratio dead share of a segment, in (0, 1]
     * @param bytes dead bytes of a segment, positive
     * @return this builder
     * @throws InvalidInputException if either is out of range
     */
    public Builder compactionTrigger(double ratio, long bytes) {
      if (!(ratio > 0 && ratio <= 1) || bytes <= 0) {
        throw new InvalidInputException("compactionTrigger(" + ratio + ", " + bytes + ") is invalid: the ratio"
            + " must be in (0, 1] and the bytes positive");
      }
      this.compactionTriggerRatio = ratio;
      this.compactionTriggerBytes = bytes;
      return this;
    }

    /**
     * Once a compaction runs, it also takes segments whose dead share reaches {@code ratio} (default
     * 0.3) and segments with dead records holding less than {@code smallSegmentBytes} of data
     * (default 10 MiB).
     *
     * @param ratio dead share of a segment, in (0, 1]
     * @param smallSegmentBytes data size of a segment, not negative
     * @return this builder
     * @throws InvalidInputException if either is out of range
     */
    public Builder compactionInclude(double ratio, long smallSegmentBytes) {
      if (!(ratio > 0 && ratio <= 1) || smallSegmentBytes < 0) {
        throw new InvalidInputException("compactionInclude(" + ratio + ", " + smallSegmentBytes + ") is invalid:"
            + " the ratio must be in (0, 1] and the size not negative");
      }
      this.compactionIncludeRatio = ratio;
      this.compactionSmallSegmentBytes = smallSegmentBytes;
      return this;
    }

    /**
     * How many times {@link Store#update} and {@link Store#compute} run a transaction whose commit
     * conflicts before giving up; default {@value StoreOptions#DEFAULT_TRANSACTION_ATTEMPTS}.
     *
     * @param attempts at least 1 (1 means no retry)
     * @return this builder
     * @throws InvalidInputException if below 1
     */
    public Builder transactionAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidInputException("transactionAttempts " + attempts + " is invalid: it must be at least 1");
      }
      this.transactionAttempts = attempts;
      return this;
    }

    /**
     * How long a put that gives no ttl of its own lives ({@link Store#put(byte[], byte[])}, batch
     * puts without a ttl, transactions' puts, conditional writes); default null: such puts never
     * expire.
     *
     * @param ttl positive, or null for none
     * @return this builder
     * @throws InvalidInputException if zero or negative
     */
    public Builder defaultTtl(java.time.Duration ttl) {
      if (ttl != null) {
        requireTtl(ttl);
      }
      this.defaultTtl = ttl;
      return this;
    }

    /**
     * The clock that expiry is measured by; default {@link java.time.InstantSource#system()}. Tests
     * set a clock they control; a store's clock should never run backwards (see the README on
     * expiry and wall-clock time).
     *
     * @param clock the clock
     * @return this builder
     * @throws InvalidInputException if null
     */
    public Builder clock(java.time.InstantSource clock) {
      if (clock == null) {
        throw new InvalidInputException("clock must not be null; java.time.InstantSource.system() is the default");
      }
      this.clock = clock;
      return this;
    }

    /**
     * How long a put, get, write (batch) or scan may take before a {@code dev.sett.SlowOperation}
     * JFR event records it; default {@link StoreOptions#DEFAULT_SLOW_OPERATION_THRESHOLD}. Nothing is
     * timed unless a JFR recording enables that event, so the threshold costs nothing otherwise.
     * Zero records every call.
     *
     * @param threshold zero or positive
     * @return this builder
     * @throws InvalidInputException if null or negative
     */
    public Builder slowOperationThreshold(java.time.Duration threshold) {
      if (threshold == null || threshold.isNegative()) {
        throw new InvalidInputException("slowOperationThreshold " + threshold + " is invalid: it must be zero or"
            + " positive (default " + DEFAULT_SLOW_OPERATION_THRESHOLD + ")");
      }
      this.slowOperationThreshold = threshold;
      return this;
    }

    /**
     * Register a JMX MBean for the open store, {@code dev.sett:type=Store,name="<absolute directory>"},
     * showing its {@link Store#stats()} and background tasks; default on. It is unregistered when the
     * store closes. A registration that fails (another store of the same directory is open in this
     * JVM, or no platform MBean server) is logged and does not fail the open.
     *
     * @param jmx false to register nothing
     * @return this builder
     */
    public Builder jmx(boolean jmx) {
      this.jmx = jmx;
      return this;
    }

    /**
     * The options.
     *
     * @return the options, immutable
     * @throws InvalidInputException if the key and value limits do not fit in a segment
     */
    public StoreOptions build() {
      long needed = (long) maxKeySize + Math.max(maxValueSize, 0) + SEGMENT_OVERHEAD;
      if (needed > segmentSize) {
        throw new InvalidInputException("a record of maxKeySize " + maxKeySize + " and maxValueSize "
            + maxValueSize + " needs " + needed + " bytes, more than segmentSize " + segmentSize
            + "; raise segmentSize or lower the limits");
      }
      if (maxValueSize < 0 && segmentSize - SEGMENT_OVERHEAD - maxKeySize < 0) {
        throw new InvalidInputException("maxKeySize " + maxKeySize + " does not fit in segmentSize "
            + segmentSize);
      }
      return new StoreOptions(this);
    }
  }
}
