package dev.sett.core;

import jdk.jfr.FlightRecorder;

/**
 * Whether JFR could be recording Sett's events: asked before an event class is touched. Stateless.
 */
final class Jfr {
  private Jfr() {
  }

  /**
   * False until the JVM's flight recorder is initialized (a recording was started, by
   * {@code -XX:StartFlightRecording}, {@code jcmd} or the API): until then no event can be enabled.
   * Asking an event class instead loads it, and with it about 80 of JFR's own classes: 52 ms on the
   * first write of a fresh JVM (JDK 17, measured with {@code -Xlog:class+load}), which a Kafka
   * Streams instance restoring its stores at start-up paid inside its first restore.
   */
  static boolean mayRecord() {
    return FlightRecorder.isInitialized();
  }
}
