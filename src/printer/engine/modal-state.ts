// The printer state a job's commands have set (feed rate, extrusion mode, temperatures), tracked so a
// resume can put it back after the pause script changed it, and the filament used so far.

import { commandWord, numericParam } from './line-framing.js';

export class ModalState {
  feedRate: number | undefined;
  absoluteExtrusion = true;
  absolutePositioning = true;
  hotendTargets = new Map<number, number>();
  bedTarget = 0;
  chamberTarget = 0;
  tool = 0;
  filamentUsedMm = 0;
  private lastE = 0;

  apply(command: string): void {
    const word = commandWord(command);
    switch (word) {
      case 'G0':
      case 'G1':
      case 'G2':
      case 'G3': {
        const f = numericParam(command, 'F');
        if (f !== undefined) this.feedRate = f;
        const e = numericParam(command, 'E');
        if (e !== undefined) {
          if (this.absoluteExtrusion) {
            if (e > this.lastE) this.filamentUsedMm += e - this.lastE;
            this.lastE = e;
          } else if (e > 0) this.filamentUsedMm += e;
        }
        break;
      }
      case 'G92': {
        const e = numericParam(command, 'E');
        if (e !== undefined) this.lastE = e;
        else if (!/[XYZ]/i.test(command.slice(3))) this.lastE = 0;
        break;
      }
      case 'G90':
        this.absolutePositioning = true;
        this.absoluteExtrusion = true;
        break;
      case 'G91':
        this.absolutePositioning = false;
        this.absoluteExtrusion = false;
        break;
      case 'M82':
        this.absoluteExtrusion = true;
        break;
      case 'M83':
        this.absoluteExtrusion = false;
        break;
      case 'M104':
      case 'M109': {
        const s = numericParam(command, 'S') ?? numericParam(command, 'R');
        const t = numericParam(command, 'T') ?? this.tool;
        if (s !== undefined) this.hotendTargets.set(t, s);
        break;
      }
      case 'M140':
      case 'M190': {
        const s = numericParam(command, 'S') ?? numericParam(command, 'R');
        if (s !== undefined) this.bedTarget = s;
        break;
      }
      case 'M141':
      case 'M191': {
        const s = numericParam(command, 'S') ?? numericParam(command, 'R');
        if (s !== undefined) this.chamberTarget = s;
        break;
      }
      default:
        if (/^T\d+$/.test(word)) this.tool = Number(word.slice(1));
    }
  }
}
