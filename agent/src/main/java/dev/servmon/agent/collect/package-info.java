/**
 * Taking samples of this machine: one pure parser per source (fixture-tested), a reader per source ({@code SensorSource}, {@code PowerMeter}, {@code ProcessScanner}, {@code InventorySource}, {@code GpuSource}), the Linux collector that orchestrates them, and the OSHI collector for other systems. docs/agent-collectors.md lists where each figure comes from.
 */
package dev.servmon.agent.collect;
