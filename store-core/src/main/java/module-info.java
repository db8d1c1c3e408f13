/**
 * Sett's engine: {@code dev.sett.core.Sett} opens stores; everything else in it is package-private.
 *
 * <p>On the module path Chronicle Bytes, Chronicle Core and jnr-ffi are automatic modules (their
 * jars name themselves {@code chronicle.bytes}, {@code chronicle.core} and {@code org.jnrproject.ffi}
 * in their manifests), so the JVM flags target {@code chronicle.core} instead of
 * {@code ALL-UNNAMED}: {@code Sett.requiredJvmFlags()} gives the right ones for how it was loaded.
 */
@SuppressWarnings("requires-automatic") // Chronicle and jnr-ffi ship no module-info of their own
module dev.sett.core {
  requires transitive dev.sett.api;
  requires chronicle.bytes;
  requires chronicle.core;
  requires org.jnrproject.ffi;
  requires roaringbitmap;
  requires org.slf4j;
  // JFR events (dev.sett.Compaction and the others) and the per-store JMX MBean: both are in every
  // JDK, and cost nothing unless a recording enables the events or a JMX client reads the MBean.
  requires jdk.jfr;
  requires java.management;
  // Not used by Sett itself: Chronicle calls sun.misc.Unsafe and sun.misc.Signal, and an automatic
  // module cannot say so; without this an application module's graph would lack jdk.unsupported.
  requires jdk.unsupported;

  exports dev.sett.core;
}
