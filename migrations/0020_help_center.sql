-- The Help Center (issue 23, seed 002): the articles in app/help, loaded
-- (inserted, updated, removed) by every server at start-up; searched with
-- PostgreSQL's full-text search, the title weighing more than the text.
CREATE TABLE help_articles (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title text NOT NULL CHECK (title <> ''),
    summary text NOT NULL CHECK (summary <> ''),
    -- The text after the summary, for the search; the whole file as
    -- written, for the article's page.
    body text NOT NULL,
    source text NOT NULL,
    -- The order of the Help Center's list.
    position integer NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', summary), 'B')
        || setweight(to_tsvector('english', body), 'C')
    ) STORED
);

CREATE INDEX help_articles_search ON help_articles USING gin (search);
