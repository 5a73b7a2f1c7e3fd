/**
 * Programs supervised by agents: their definitions per host, the status and events agents
 * report in their samples, the commands that start, stop and restart them, and their routes.
 * See docs/programs.md.
 */
package dev.servmon.hub.programs;
