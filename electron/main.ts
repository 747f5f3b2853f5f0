import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../shared/contract';
import { APP_NAME, rendererDir } from './app-meta';
import { contentSecurityPolicy, readStaticFile } from './host/static-files';
import { openAppServices, type AppServices } from './app/app-services';
import { fileLabSecrets } from './services/lab/secrets-file';
import { createLogger, installProcessErrorHandlers, stderrLogger, type Logger } from './services/logs';

/**
 * The Electron shell, kept thin: a window, the app:// scheme serving the built renderer, the IPC
 * transport to the router, and the guards — a sandboxed, isolated renderer that can navigate
 * nowhere, open nothing, ask for no permission and load nothing from outside the app.
 */
const SCHEME = 'app';
const ORIGIN = `${SCHEME}://workbench`;
const here = path.dirname(fileURLToPath(import.meta.url));

let services: AppServices | null = null;
let mainWindow: BrowserWindow | null = null;
/** The shell's own lines: to the data folder's log once it is open, to stderr before. */
const early = stderrLogger('app');
const logger: Logger = createLogger((level, source, message, details) => (services?.logger ?? early).child(source).log(level, message, details), 'app');

// An error nothing caught is logged; an uncaught exception also closes the services (the run
// engine switches the output off, the store commits what it holds) and then ends the app, saying so.
installProcessErrorHandlers({
  logger,
  shutdown: () => services?.close(),
  fatal: (error) => {
    const logFile = services?.logs.file;
    try {
      dialog.showErrorBox(
        `${APP_NAME} stopped after an unexpected error`,
        `${error instanceof Error ? error.message : String(error)}\n\nRuns are written to the archive as they happen and the database was closed. ` +
          `The details are in the log${logFile ? `: ${logFile}` : ''}.`,
      );
    } finally {
      app.exit(1);
    }
  },
});

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.setName(APP_NAME);
  void app.whenReady().then(start);
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

async function start(): Promise<void> {
  try {
    const dataDir = process.env.WORKBENCH_DATA_DIR ?? app.getPath('userData');
    services = openAppServices({
      dataDir,
      hostKind: 'desktop',
      // The lab's password lives in the OS secret storage; the rest of the connection beside it (#16).
      labSecrets: fileLabSecrets(dataDir, safeStorage),
      versions: { electron: process.versions.electron, chrome: process.versions.chrome },
      openPath: (folder) => shell.openPath(folder),
    });
  } catch (e) {
    logger.error('the workbench could not open its data folder', e);
    dialog.showErrorBox(`${APP_NAME} cannot open its data`, e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  hardenSession();
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = await readStaticFile(rendererDir(), url.pathname);
    return new Response(new Uint8Array(file.body), {
      status: file.status,
      headers: { 'content-type': file.type, 'content-security-policy': contentSecurityPolicy("'self'"), 'x-content-type-options': 'nosniff' },
    });
  });
  const router = services.router;
  ipcMain.handle('wb:request', async (event: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    if (!isTrustedSender(event)) return fail('invalid_request', 'Requests are accepted only from the workbench window.');
    return router.call(method, params);
  });
  services.bus.subscribe((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send('wb:event', name, payload);
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
  createWindow();
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || !mainWindow || event.sender !== mainWindow.webContents) return false;
  try {
    return new URL(frame.url).origin === ORIGIN;
  } catch {
    return false;
  }
}

function hardenSession(): void {
  const ses = session.defaultSession;
  // Nothing but writing to the clipboard (the Copy buttons), and only for the app's own pages.
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(permission === 'clipboard-sanitized-write' && details.requestingUrl.startsWith(`${ORIGIN}/`)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => permission === 'clipboard-sanitized-write' && requestingOrigin === ORIGIN);
  // Nothing but the app's own files (and devtools) may load: the workbench is offline by design.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = details.url.startsWith(`${ORIGIN}/`) || details.url.startsWith('devtools://');
    callback({ cancel: !ok });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${ORIGIN}/`)) {
        e.preventDefault();
        logger.child('security').warn(`navigation to ${url.slice(0, 200)} was blocked`);
      }
    });
    contents.on('render-process-gone', (_e, details) => logger.child('renderer').error(`the window's renderer process ended: ${details.reason} (exit code ${details.exitCode})`));
    contents.on('will-redirect', (e, url) => {
      if (!url.startsWith(`${ORIGIN}/`)) e.preventDefault();
    });
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the outside open in the user's browser, never inside the app.
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized?: boolean;
}

function windowStateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function loadWindowState(): WindowState {
  try {
    const s = JSON.parse(readFileSync(windowStateFile(), 'utf8')) as Partial<WindowState>;
    if (typeof s.width === 'number' && typeof s.height === 'number' && s.width >= 800 && s.height >= 560) return s as WindowState;
  } catch {
    // first start, or an unreadable file: use the default size
  }
  return { width: 1366, height: 768 };
}

function createWindow(): void {
  const state = loadWindowState();
  const preload = path.join(here, 'preload.cjs');
  mainWindow = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 560,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload: existsSync(preload) ? preload : undefined,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) mainWindow.maximize();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('close', () => {
    if (!mainWindow) return;
    const b = mainWindow.getNormalBounds();
    try {
      writeFileSync(windowStateFile(), JSON.stringify({ ...b, maximized: mainWindow.isMaximized() }));
    } catch {
      // not worth interrupting a quit for
    }
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(`${ORIGIN}/index.html`);
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const go = (page: string) => () => mainWindow?.webContents.executeJavaScript(`location.hash = '#/${page}'`);
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { label: '&File', submenu: [{ label: 'Settings', accelerator: 'CmdOrCtrl+,', click: go('settings') }, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: '&Help',
      submenu: [
        { label: 'User guide', click: go('help') },
        { label: 'Logs', click: go('logs') },
        {
          label: 'About',
          click: () =>
            void dialog.showMessageBox({
              title: `About ${APP_NAME}`,
              message: `${APP_NAME} ${app.getVersion()}`,
              detail: `Electron ${process.versions.electron}\nChromium ${process.versions.chrome}\nNode ${process.versions.node}`,
            }),
        },
      ],
    },
  ];
}

app.on('window-all-closed', () => app.quit());

// Quitting waits for the services to close — the running run stopped, the instrument's output
// switched off, the samples committed — and only then lets the app exit. close() never throws
// and reaches output-off even when a step before it fails (electron/app/app-services.ts).
let quitting = false;
app.on('will-quit', (event) => {
  const open = services;
  if (open === null || quitting) return;
  event.preventDefault();
  quitting = true;
  void open
    .close()
    .catch((e: unknown) => logger.error('closing the workbench failed', e))
    .finally(() => {
      services = null;
      app.exit(0);
    });
});
