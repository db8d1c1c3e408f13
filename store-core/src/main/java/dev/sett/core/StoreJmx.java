package dev.sett.core;

import dev.sett.api.StoreMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a store's {@link StoreMBean} in the platform MBean server as
 * {@code dev.sett:type=Store,name="<absolute directory>"} and removes it again. Monitoring must
 * never cost a service its store, so a registration that fails (the name is taken: another handle of
 * the same directory is open in this JVM; or JMX is unavailable) is logged and the store opens
 * without an MBean.
 *
 * <p>Stateless; thread-safe.
 */
final class StoreJmx {
  private static final Logger LOG = LoggerFactory.getLogger(StoreJmx.class);

  private StoreJmx() {
  }

  /** The MBean name of the store in {@code dir}. */
  static ObjectName name(Path dir) {
    try {
      return new ObjectName("dev.sett:type=Store,name=" + ObjectName.quote(dir.toAbsolutePath().toString()));
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalStateException("a quoted name is always valid: " + e.getMessage(), e);
    }
  }

  /** Registers {@code store}'s MBean; returns its name, or null if it could not be registered. */
  static ObjectName register(dev.sett.api.Store store) {
    ObjectName name = name(store.directory());
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      // Through StandardMBean: the MBean class is package-private, its MXBean interface public.
      server.registerMBean(new StandardMBean(new StoreMBean(store), StoreMXBean.class, true), name);
      return name;
    } catch (JMException | RuntimeException e) {
      LOG.warn("Store {} opened without its JMX MBean {}: {}", store.directory(), name, e.toString());
      return null;
    }
  }

  /** Removes the MBean {@link #register} returned (nothing if null or already gone). */
  static void unregister(ObjectName name) {
    if (name == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (JMException | RuntimeException e) {
      LOG.warn("Could not unregister JMX MBean {}: {}", name, e.toString());
    }
  }
}
