// Shared helpers for the browser tests: start the real onestop binary on a
// fresh demo database, drive Debian's Chromium through playwright-core (never
// a downloaded browser), and run axe-core on every page visited.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export const binary = process.env.ONESTOP_BINARY || path.resolve('build/debug/onestop')
export const artifacts = process.env.ONESTOP_BROWSER_ARTIFACTS || path.resolve('build/browser-artifacts')
export const PASSWORD = 'fairhaven-demo'
mkdirSync(artifacts, { recursive: true })

// `extraArgs`: more `onestop serve` flags (e.g. --smtp-url).
export async function startServer ({ extraArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'onestop-browser-'))
  const db = `sqlite:${path.join(dir, 't.db')}`
  execFileSync(binary, ['seed-demo', '--database', db, '--log-level', 'warn'], { stdio: 'ignore' })
  const child = spawn(binary, ['serve', '--port', '0', '--database', db, '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise((resolve, reject) => {
    let buffered = ''
    const timer = setTimeout(() => reject(new Error('onestop did not start in 30s')), 30000)
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const m = buffered.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    })
    child.on('exit', (code) => reject(new Error(`onestop exited with ${code}`)))
  })
  return {
    url,
    async stop () {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function launchBrowser () {
  return chromium.launch({
    executablePath: process.env.ONESTOP_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run']
  })
}

// Every page visited, and its axe violations at WCAG 2.2 AA.
export const visited = []

export async function axe (page) {
  await page.addScriptTag({ content: axeSource })
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }
    })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))
  })
  visited.push({ url: page.url(), title: await page.title(), violations: result })
  return result
}

export async function screenshot (page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true })
}

// A fresh context (cookies) and page; CSP bypassed so axe can be injected;
// an error thrown by the page's own scripts fails the test.
export async function newPage (browser, { locale } = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...(locale ? { locale } : {}) })
  const page = await context.newPage()
  page.on('pageerror', (e) => { throw e })
  return page
}

// axe on the page as it is now: no WCAG 2.2 AA violation allowed.
export async function checkA11y (page) {
  const violations = await axe(page)
  assert.deepEqual(violations, [], `axe violations on ${page.url()}: ${JSON.stringify(violations, null, 1)}`)
}

// The JSON API and the staff sign-in of a server started by startServer:
// api(method, path, token, body) → {status, json}; token(email) → a session
// token (POST /api/v1/session); signIn(context, email) → a new page signed in on
// /staff; signInPage(page, email) signs an existing page in.
export function staffClient (server) {
  async function api (method, urlPath, token, body) {
    const res = await fetch(server.url + urlPath, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined
    })
    return { status: res.status, json: await res.json().catch(() => null) }
  }
  async function token (email) {
    const res = await api('POST', '/api/v1/session', null, { email, password: PASSWORD })
    assert.equal(res.status, 201, JSON.stringify(res.json))
    return res.json.token
  }
  async function signInPage (page, email) {
    await page.goto(server.url + '/staff/login')
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(/\/staff$/)
    return page
  }
  async function signIn (context, email) {
    const page = await context.newPage()
    page.on('pageerror', (e) => { throw e })
    return signInPage(page, email)
  }
  return { api, token, signIn, signInPage }
}
