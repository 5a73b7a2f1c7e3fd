/**
 * The servmon agent: configuration ({@link dev.servmon.agent.AgentConfig}) and the collect-and-send loop ({@link dev.servmon.agent.Agent}). The CLI builds an {@code AgentConfig} with {@code AgentConfig.of(...)}, then runs {@code new Agent(cfg).run()}.
 */
package dev.servmon.agent;
