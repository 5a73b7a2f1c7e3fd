/**
 * The servmon agent: its command line ({@link dev.servmon.agent.AgentMain}, the entry point of
 * servmon-agent.jar and of {@code servmon agent}), configuration
 * ({@link dev.servmon.agent.AgentConfig}) and the collect-and-send loop
 * ({@link dev.servmon.agent.Agent}). {@code AgentMain} builds an {@code AgentConfig} with
 * {@code AgentConfig.of(...)}, then runs {@code new Agent(cfg).run()}; {@code --install} hands
 * over to {@link dev.servmon.agent.install}.
 */
package dev.servmon.agent;
