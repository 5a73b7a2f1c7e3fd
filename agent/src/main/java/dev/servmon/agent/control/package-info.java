/** The agent's side of the hub → agent command channel: handlers by command type, their results. */
package dev.servmon.agent.control;
