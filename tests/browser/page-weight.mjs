// Page weight of the resident portal: HTML + CSS + JS (including ES module
// imports), each gzip-compressed, per page. Prints a table; aims for < 100 KB.
// Fonts and images are not counted (they are cached and not render-blocking).
import { gzipSync } from 'node:zlib'
import { startServer } from './harness.mjs'

const LIMIT = 100 * 1024
const server = await startServer()
const cache = new Map()

async function gz (url) {
  if (!cache.has(url)) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer())
    cache.set(url, { raw: body, size: gzipSync(body, { level: 6 }).length })
  }
  return cache.get(url)
}

async function weigh (pathAndMethod) {
  const [method, path, body] = pathAndMethod
  const res = await fetch(server.url + path, {
    method, body, headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}
  })
  const html = Buffer.from(await res.arrayBuffer())
  let total = gzipSync(html, { level: 6 }).length
  const text = html.toString()
  const assets = new Set()
  for (const m of text.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) assets.add(m[1])
  for (const m of text.matchAll(/<script[^>]*src="([^"]+)"/g)) assets.add(m[1])
  const queue = [...assets]
  while (queue.length) {
    const asset = queue.shift()
    const { raw, size } = await gz(server.url + asset)
    total += size
    for (const m of raw.toString().matchAll(/import\s*(?:[^'"]*from\s*)?['"](\/[^'"]+)['"]/g)) {
      if (!assets.has(m[1])) { assets.add(m[1]); queue.push(m[1]) }
    }
  }
  return total
}

const pages = [
  ['GET', '/'], ['GET', '/services'], ['GET', '/services?q=bin'], ['GET', '/services/missed-bin'],
  ['GET', '/services/missed-bin/report'], ['GET', '/track'],
  ['POST', '/track', 't.reference=0000-0000&t.contact=x%40example.com']
]
let over = 0
console.log('portal page weight (gzip, HTML+CSS+JS):')
for (const p of pages) {
  const bytes = await weigh(p)
  if (bytes > LIMIT) over++
  console.log(`  ${(p[0] + ' ' + p[1]).padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(6)} KB${bytes > LIMIT ? '  (over 100 KB)' : ''}`)
}
await server.stop()
console.log(over ? `${over} page(s) over 100 KB` : 'all portal pages under 100 KB')
