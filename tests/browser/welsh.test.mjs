// Issue 10 in a real browser: the report journey entirely in Welsh, the
// language switch keeping the answers, the council's theme, and a theme with
// unreadable colours refused.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync, rmSync, copyFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startServer, launchBrowser, newPage as openPage, checkA11y, screenshot, binary } from './harness.mjs'

let server, browser
const council = JSON.parse(readFileSync('data/demo/council.json', 'utf8'))

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

const newPage = () => openPage(browser, { locale: 'en-GB' })

// English a Welsh reader must not meet: the portal's fixed texts and the
// demo service's own words (the resident's answers are theirs to choose).
const missedBin = council.services.find((s) => s.code === 'missed-bin')
const ENGLISH = [
  'Continue', 'Start now', 'Check your answers', 'Your contact details', 'Where is it?',
  'Tell us about it', 'Skip to main content', 'Track a request', 'All services A to Z', 'Search',
  'optional', 'Change', 'For example', 'There is a problem', 'Error:', 'Day', 'Month', 'Year',
  'Postcode', 'Send', 'Your reference', 'What happens next', 'Staff sign in',
  missedBin.name, missedBin.fields[0].description, missedBin.fields[0].values[0].name,
  missedBin.fields[1].description, council.departments.find((d) => d.code === 'waste').name
]

async function assertNoEnglish (page, allowed = []) {
  const text = await page.evaluate(() => document.body.innerText)
  for (const phrase of ENGLISH) {
    const re = new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`)
    if (allowed.some((a) => a.includes(phrase))) continue
    assert.ok(!re.test(text), `English "${phrase}" on the Welsh page ${page.url()}:\n${text}`)
  }
  assert.equal(await page.getAttribute('html', 'lang'), 'cy')
}

function yesterday () {
  const d = new Date(Date.now() - 24 * 3600 * 1000)
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) }
}

test('a resident reports a missed bin entirely in Welsh', async () => {
  const page = await newPage()
  await page.goto(server.url + '/?lang=cy')
  await checkA11y(page)
  await assertNoEnglish(page)
  assert.match(await page.textContent('header'), new RegExp(council.theme.translations.cy.name))
  // The choice is remembered: a plain URL stays Welsh.
  await page.goto(server.url + '/services')
  await assertNoEnglish(page)
  await page.click('a[href="/services/missed-bin"]')
  await checkA11y(page)
  await assertNoEnglish(page)
  assert.match(await page.textContent('h1'), new RegExp(missedBin.translations.cy.name))
  await page.click('a.govuk-button--start')
  await checkA11y(page)
  await assertNoEnglish(page)
  // Continue without answers: the errors are Welsh too.
  await page.click('form#journey button[type=submit]:not([name=goto])')
  await checkA11y(page)
  await assertNoEnglish(page)
  assert.ok(await page.isVisible('.govuk-error-summary'))
  await page.check('#f-bin_type-0')
  const d = yesterday()
  await page.fill('#f-collection_date-day', d.day)
  await page.fill('#f-collection_date-month', d.month)
  await page.fill('#f-collection_date-year', d.year)
  await page.click('form#journey button[type=submit]:not([name=goto])')
  await checkA11y(page)
  await assertNoEnglish(page)
  await page.check('#contact-choice')
  await page.fill('#f-given_name', 'Gwenllian')
  await page.fill('#f-family_name', 'Morgan')
  await page.fill('#f-email', 'gwenllian.morgan@example.com')
  await page.click('form#journey button[type=submit]:not([name=goto])')
  await checkA11y(page)
  await assertNoEnglish(page)
  await page.fill('#f-postcode', 'FH1 4AB')
  await page.click('form#journey button[type=submit]:not([name=goto])')
  await checkA11y(page)
  await assertNoEnglish(page, ['Gwenllian Morgan', 'gwenllian.morgan@example.com'])
  await screenshot(page, 'welsh-check-answers')
  await page.click('form#check-form button[value=submit]')
  await checkA11y(page)
  await assertNoEnglish(page)
  const reference = (await page.textContent('#reference')).trim()
  assert.match(reference, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/)
  await screenshot(page, 'welsh-done')
  // Tracking in Welsh: status and dates in Welsh ("3 Rhagfyr 2026").
  await page.goto(server.url + '/track')
  await page.fill('#f-reference', reference)
  await page.fill('#f-contact', 'gwenllian.morgan@example.com')
  await page.click('main form button[type=submit]')
  await checkA11y(page)
  await assertNoEnglish(page)
  const months = ['Ionawr', 'Chwefror', 'Mawrth', 'Ebrill', 'Mai', 'Mehefin', 'Gorffennaf', 'Awst', 'Medi', 'Hydref', 'Tachwedd', 'Rhagfyr']
  const body = await page.textContent('main')
  assert.ok(months.some((m) => body.includes(m)), `no Welsh month on the track page: ${body}`)
  // And back to English with ?lang=en.
  await page.goto(server.url + '/?lang=en')
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  await checkA11y(page)
})

test('Accept-Language: cy answers in Welsh on a first visit', async () => {
  const res = await fetch(server.url + '/', { headers: { 'Accept-Language': 'cy-GB,cy;q=0.9,en;q=0.5' } })
  const html = await res.text()
  assert.match(html, /<html lang="cy"/)
  assert.equal(res.headers.get('content-language'), 'cy')
  const en = await (await fetch(server.url + '/', { headers: { 'Accept-Language': 'en-GB' } })).text()
  assert.match(en, /<html lang="en"/)
  // The staff desktop stays English whatever the browser says.
  const staff = await (await fetch(server.url + '/staff/login', { headers: { 'Accept-Language': 'cy' } })).text()
  assert.match(staff, /<html lang="en"/)
})

test('switching language mid-journey keeps the answers', async () => {
  const page = await newPage()
  await page.goto(server.url + '/services/missed-bin/report')
  await page.check('#f-bin_type-1')
  await page.fill('#f-notes', 'Behind the garage')
  // The switch posts the journey's form: nothing typed is lost.
  await page.click('.onestop-language-switch button[lang=cy]')
  await checkA11y(page)
  assert.equal(await page.getAttribute('html', 'lang'), 'cy')
  assert.ok(await page.isChecked('#f-bin_type-1'))
  assert.equal(await page.inputValue('#f-notes'), 'Behind the garage')
  assert.equal(await page.locator('.govuk-error-summary').count(), 0)
  await page.click('.onestop-language-switch button[lang=en]')
  assert.equal(await page.getAttribute('html', 'lang'), 'en')
  assert.ok(await page.isChecked('#f-bin_type-1'))
  assert.equal(await page.inputValue('#f-notes'), 'Behind the garage')
})

test("the demo council's theme: its name, mark, colours and pages", async () => {
  const page = await newPage()
  await page.goto(server.url + '/')
  await checkA11y(page)
  assert.match(await page.textContent('header'), new RegExp(council.theme.name))
  const logo = page.locator('header img.onestop-logo')
  assert.equal(await logo.count(), 1)
  assert.ok(await logo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the logo loads')
  const hex = council.theme.colours.brand.toLowerCase()
  const rgb = `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`
  assert.equal(await page.locator('header.govuk-header').evaluate((h) => getComputedStyle(h).backgroundColor), rgb)
  assert.match(await page.textContent('footer'), new RegExp(council.theme.phone))
  for (const link of council.theme.footer_links) {
    assert.equal(await page.locator(`footer a[href="${link.href}"]`).count(), 1, link.href)
  }
  await screenshot(page, 'theme-home')
  for (const href of ['/privacy', '/accessibility', '/cookies', '/contact']) {
    await page.goto(server.url + href)
    await checkA11y(page)
    await page.goto(server.url + href + '?lang=cy')
    await checkA11y(page)
    assert.equal(await page.getAttribute('html', 'lang'), 'cy')
  }
})

test('a theme with unreadable contrast is refused at start-up', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'onestop-theme-'))
  try {
    const bad = JSON.parse(JSON.stringify(council))
    bad.theme.colours.brand = '#ffdd00'  // white header text on yellow: about 1.4:1
    mkdirSync(path.join(dir, 'theme'))
    copyFileSync('data/demo/theme/fairhaven-logo.svg', path.join(dir, 'theme', 'fairhaven-logo.svg'))
    writeFileSync(path.join(dir, 'council.json'), JSON.stringify(bad))
    const db = `sqlite:${path.join(dir, 't.db')}`
    const seeded = spawnSync(binary, ['seed-demo', '--database', db, '--council', path.join(dir, 'council.json'), '--log-level', 'warn'], { encoding: 'utf8' })
    assert.notEqual(seeded.status, 0)
    assert.match(seeded.stderr + seeded.stdout, /contrast/i)
    assert.match(seeded.stderr + seeded.stdout, /theme\.colours\.brand/)
    // A theme made unreadable in the store itself stops the server.
    execFileSync(binary, ['seed-demo', '--database', db, '--log-level', 'warn'], { stdio: 'ignore' })
    const stored = spawnSync('sqlite3', [path.join(dir, 't.db'), "SELECT value FROM settings WHERE key = 'theme'"], { encoding: 'utf8' })
    const theme = JSON.parse(stored.stdout)
    theme.colours.brand = '#ffdd00'
    spawnSync('sqlite3', [path.join(dir, 't.db'), `UPDATE settings SET value = '${JSON.stringify(theme).replace(/'/g, "''")}' WHERE key = 'theme'`])
    const served = spawnSync(binary, ['serve', '--port', '0', '--database', db, '--log-level', 'warn'], { encoding: 'utf8', timeout: 20000 })
    assert.notEqual(served.status, 0)
    assert.match(served.stderr + served.stdout, /contrast/i)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('the catalogue editor edits the Welsh texts, and the Welsh portal shows them', async () => {
  const page = await newPage()
  await page.goto(server.url + '/staff/login')
  await page.fill('#f-email', 'admin@fairhaven.example')
  await page.fill('#password', 'fairhaven-demo')
  await page.click('main button[type=submit]')
  await page.waitForURL(/\/staff$/)
  await page.goto(server.url + '/staff/admin/services/pothole')
  await checkA11y(page)
  assert.equal(await page.inputValue('#f-cy-name'), council.services.find((s) => s.code === 'pothole').translations.cy.name)
  await page.fill('#f-cy-name', 'Rhoi gwybod am dwll peryglus yn y ffordd')
  await page.click('main form button.govuk-button:not(.govuk-button--warning)')
  await page.waitForURL(/flash=saved/)
  // A question's Welsh words and its options' Welsh labels.
  await page.goto(server.url + '/staff/admin/services/missed-bin/fields/bin_type')
  await checkA11y(page)
  assert.match(await page.inputValue('#f-cy-values'), /^general\|/)
  await page.fill('#f-cy-question', 'Pa fin na chafodd ei gasglu?')
  await page.click('main form button.govuk-button')
  await page.waitForURL(/flash=saved/)
  const resident = await newPage()
  await resident.goto(server.url + '/services/pothole?lang=cy')
  assert.match(await resident.textContent('h1'), /Rhoi gwybod am dwll peryglus yn y ffordd/)
  await resident.goto(server.url + '/services/missed-bin/report')
  assert.match(await resident.textContent('main'), /Pa fin na chafodd ei gasglu\?/)
  // English readers still get the English.
  await resident.goto(server.url + '/services/pothole?lang=en')
  assert.match(await resident.textContent('h1'), new RegExp(council.services.find((s) => s.code === 'pothole').name))
  // Articles: a Welsh version edited; one emptied falls back to English, marked lang="en".
  await page.goto(server.url + '/staff/articles/1')
  await checkA11y(page)
  await page.fill('#f-cy-title', 'Diwrnodau casglu biniau (wedi newid)')
  await page.click('form[action="/staff/articles/1"] button.govuk-button')
  await page.waitForURL(/flash=saved/)
  await resident.goto(server.url + '/articles/1?lang=cy')
  assert.match(await resident.textContent('h1'), /Diwrnodau casglu biniau \(wedi newid\)/)
  await page.goto(server.url + '/staff/articles/2')
  for (const id of ['#f-cy-title', '#f-cy-summary', '#f-cy-body']) await page.fill(id, '')
  await page.click('form[action="/staff/articles/2"] button.govuk-button')
  await page.waitForURL(/flash=saved/)
  await resident.goto(server.url + '/articles/2?lang=cy')
  assert.equal(await resident.locator('main [lang="en"] h1').count(), 1)
  await checkA11y(resident)
  // A Welsh label for a key that does not exist is refused, naming the key.
  await page.goto(server.url + '/staff/admin/services/missed-bin/fields/bin_type')
  await page.fill('#f-cy-values', 'nosuchkey|Dim')
  await page.click('main form button.govuk-button')
  assert.match(await page.textContent('.govuk-error-summary'), /nosuchkey/)
})
