/**
 * Taking samples of this machine: one pure parser per source (fixture-tested), the Linux {@code /proc} collector, and the OSHI collector for other systems.
 */
package dev.servmon.agent.collect;
