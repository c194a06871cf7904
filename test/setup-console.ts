// oclif v4 writes via console.log; jest's buffered console bypasses process.stdout.write, so @oclif/test sees nothing
import {Console} from 'node:console'
globalThis.console = new Console({stdout: process.stdout, stderr: process.stderr})
