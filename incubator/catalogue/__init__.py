"""The public catalogue of incubated products (issue 24): the product groups staff keep, the entries founders
write for their business and staff approve, the public pages, the sitemap and the contact form."""
