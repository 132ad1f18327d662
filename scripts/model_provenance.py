"""Shared by the model build scripts (scripts/build-default-model.sh, scripts/rebuild-bundled-model.sh):
the zero-shot table as rows, the machine's name, and writing model.json back."""
import datetime
import json
import os
import platform
import time


def zeroshot_rows(path):
    """The rows of a scripts/bench-zeroshot.sh Markdown table as dicts."""
    rows = []
    for line in open(path):
        c = [x.strip() for x in line.strip().strip('|').split('|')]
        if len(c) == 7 and c[2] not in ('F1', '---'):
            rows.append({'test_set': c[0], 'method': c[1], 'f1': float(c[2]), 'iou': float(c[3]), 'porosity_true': float(c[4]),
                         'porosity_predicted': float(c[5]), 'porosity_error': float(c[6])})
    return rows


def machine():
    """'CPU model, N cores'."""
    cpu = platform.machine()
    if os.path.exists('/proc/cpuinfo'):
        cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), cpu)
    return '%s, %d cores' % (cpu, os.cpu_count())


def stamp(start):
    """The date, machine and wall seconds since the epoch second START, for a provenance record."""
    return {'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'), 'machine': machine(),
            'wall_seconds': int(time.time() - int(start))}


def write(path, m):
    json.dump(m, open(path, 'w'), indent=2)
    open(path, 'a').write('\n')
