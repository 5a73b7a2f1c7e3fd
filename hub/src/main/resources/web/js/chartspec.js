// Which charts a host gets, from the series names it has data for (GET /api/v1/hosts/{id}/series):
// only charts for series the host has. Pure: names in, chart specifications out.
//
// A spec: { id, title, unit, yRange: 'percent' | 'zero' | 'auto', stepped, request: [names or
// metric:* patterns to ask the metrics API for], series: [{ name, label, role }] }, where role
// is 'main' (thick, filled), 'line' or 'limit' (dashed: a total the main line cannot exceed).

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** "fs_used:/data" → { metric: "fs_used", instance: "/data" }; no instance → null. */
export function splitName(name) {
  const i = name.indexOf(':');
  return i < 0 ? { metric: name, instance: null } : { metric: name.slice(0, i), instance: name.slice(i + 1) };
}

const LOOPBACK = /^(lo|Loopback.*)$/;

function instancesOf(names, metric) {
  const out = [];
  for (const n of names) {
    const { metric: m, instance } = splitName(n);
    if (m === metric && instance !== null) out.push(instance);
  }
  return out.sort(natural.compare);
}

function line(name, label, role = 'line') {
  return { name, label, role };
}

/** Specs for every chart this host's series allow, in page order. */
export function chartSpecs(seriesNames) {
  const has = new Set(seriesNames);
  const present = (list) => list.filter((s) => has.has(s.name));
  const specs = [];
  const add = (spec) => {
    if (spec.series.length > 0) specs.push({ stepped: false, yRange: 'zero', ...spec });
  };

  add({
    id: 'cpu', title: 'CPU', unit: 'percent', yRange: 'percent',
    series: present([line('cpu', 'total', 'main'), line('cpu_user', 'user'), line('cpu_system', 'system'),
      line('cpu_iowait', 'IO wait'), line('cpu_steal', 'steal')]),
  });
  const cores = instancesOf(seriesNames, 'cpu_core');
  add({
    id: 'cpu-cores', title: 'CPU per core', unit: 'percent', yRange: 'percent', request: ['cpu_core:*'],
    series: cores.map((c) => line(`cpu_core:${c}`, `core ${c}`)),
  });
  add({
    id: 'load', title: 'Load average', unit: 'load',
    series: present([line('load1', '1 min', 'main'), line('load5', '5 min'), line('load15', '15 min')]),
  });
  add({
    id: 'memory', title: 'Memory', unit: 'bytes',
    series: present([line('mem_used', 'used', 'main'), line('mem_cached', 'cache'), line('mem_total', 'total', 'limit')]),
  });
  add({
    id: 'swap', title: 'Swap', unit: 'bytes', hideWhenZero: true,
    series: present([line('swap_used', 'used', 'main'), line('swap_total', 'total', 'limit')]),
  });
  for (const mount of instancesOf(seriesNames, 'fs_used')) {
    add({
      id: `fs:${mount}`, title: `Disk space ${mount}`, unit: 'bytes',
      series: present([line(`fs_used:${mount}`, 'used', 'main'), line(`fs_total:${mount}`, 'size', 'limit')]),
    });
  }
  const disks = instancesOf(seriesNames, 'disk_read');
  add({
    id: 'disk-io', title: disks.length > 1 ? 'Disk IO, all disks' : `Disk IO${disks.length ? ` ${disks[0]}` : ''}`,
    unit: 'bytes_per_second',
    series: present([line('disk_read', 'read', 'main'), line('disk_write', 'written')]),
  });
  if (disks.length > 1) {
    for (const d of disks) {
      add({
        id: `disk:${d}`, title: `Disk IO ${d}`, unit: 'bytes_per_second',
        series: present([line(`disk_read:${d}`, 'read', 'main'), line(`disk_write:${d}`, 'written')]),
      });
    }
  }
  const busy = instancesOf(seriesNames, 'disk_busy');
  add({
    id: 'disk-busy', title: 'Disk busy', unit: 'percent', yRange: 'percent', request: ['disk_busy:*'],
    series: busy.map((d) => line(`disk_busy:${d}`, d)),
  });
  const nics = instancesOf(seriesNames, 'net_rx').filter((n) => !LOOPBACK.test(n));
  if (nics.length !== 1) {
    add({
      id: 'net', title: 'Network, all interfaces', unit: 'bytes_per_second',
      series: present([line('net_rx', 'received', 'main'), line('net_tx', 'sent')]),
    });
  }
  for (const nic of nics) {
    add({
      id: `net:${nic}`, title: `Network ${nic}`, unit: 'bytes_per_second',
      series: present([line(`net_rx:${nic}`, 'received', 'main'), line(`net_tx:${nic}`, 'sent')]),
    });
  }
  const temps = instancesOf(seriesNames, 'temp').map((t) => line(`temp:${t}`, t));
  const gpuTemps = instancesOf(seriesNames, 'gpu_temp').map((g) => line(`gpu_temp:${g}`, `GPU ${g}`));
  add({
    id: 'temp', title: 'Temperatures', unit: 'celsius', yRange: 'auto',
    request: [temps.length ? 'temp:*' : null, gpuTemps.length ? 'gpu_temp:*' : null].filter(Boolean),
    series: [...temps, ...gpuTemps],
  });
  add({
    id: 'fans', title: 'Fans', unit: 'rpm', request: ['fan:*'],
    series: instancesOf(seriesNames, 'fan').map((f) => line(`fan:${f}`, f)),
  });
  add({
    id: 'gpu', title: 'GPU', unit: 'percent', yRange: 'percent', request: ['gpu_util:*'],
    series: instancesOf(seriesNames, 'gpu_util').map((g) => line(`gpu_util:${g}`, `GPU ${g}`)),
  });
  add({
    id: 'gpu-mem', title: 'GPU memory', unit: 'bytes', request: ['gpu_mem_used:*'],
    series: instancesOf(seriesNames, 'gpu_mem_used').map((g) => line(`gpu_mem_used:${g}`, `GPU ${g}`)),
  });
  const gpuPower = instancesOf(seriesNames, 'gpu_power').map((g) => line(`gpu_power:${g}`, `GPU ${g}`));
  add({
    id: 'power', title: 'Power', unit: 'watts',
    request: [has.has('power_watts') ? 'power_watts' : null, gpuPower.length ? 'gpu_power:*' : null].filter(Boolean),
    series: [...present([line('power_watts', 'host', 'main')]), ...gpuPower],
  });
  add({
    id: 'users', title: 'Logged-in users', unit: 'count', stepped: true,
    series: present([line('users', 'sessions', 'main')]),
  });
  add({
    id: 'ctxt', title: 'Context switches', unit: 'per_second',
    series: present([line('context_switches', 'switches', 'main')]),
  });

  for (const spec of specs) {
    if (!spec.request) spec.request = spec.series.map((s) => s.name);
  }
  return specs;
}

/**
 * The specs split into metrics requests the API accepts: at most `maxNames` names and
 * `maxSeries` series each (GET /api/v1/hosts/{id}/metrics allows 64 and 256).
 */
export function batches(specs, maxNames = 64, maxSeries = 256) {
  const out = [];
  let current = null;
  for (const spec of specs) {
    const names = spec.request.length;
    const series = spec.series.length;
    if (!current || current.names.length + names > maxNames || current.series + series > maxSeries) {
      current = { names: [], series: 0, specs: [] };
      out.push(current);
    }
    current.names.push(...spec.request);
    current.series += series;
    current.specs.push(spec);
  }
  return out;
}
