// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// Contact screen: results as you type. Fetches the same server-rendered page
// and swaps in its results region, so there is one code path for search.
const form = document.querySelector('form[data-live-search]')
if (form) {
  const region = document.getElementById(form.dataset.liveSearch)
  let timer = null
  let latest = 0
  form.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const params = new URLSearchParams(new FormData(form))
      const hasText = [...params.values()].some((v) => v.trim().length >= 2)
      if (!hasText) return
      const ticket = ++latest
      const response = await fetch(form.action + '?' + params.toString(), { credentials: 'same-origin' })
      if (!response.ok || ticket !== latest) return
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html')
      const fresh = doc.getElementById(region.id)
      if (fresh) region.innerHTML = fresh.innerHTML
    }, 250)
  })
}
