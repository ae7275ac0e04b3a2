-- Routing rules of the wire desk: which section an incoming item goes to
-- and whether it is published on arrival or queued for the desk. Rules are
-- tried in position order and the first whose conditions all hold wins; a
-- rule sets at least one condition (source, subject code or name, keyword).
-- A rule goes with its section or its source when either is deleted.
CREATE TABLE wire_routes (
	id         INTEGER PRIMARY KEY,
	position   INTEGER NOT NULL,
	source_id  INTEGER REFERENCES sources(id) ON DELETE CASCADE,
	subject    TEXT NOT NULL DEFAULT '',
	keyword    TEXT NOT NULL DEFAULT '',
	section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
	publish    INTEGER NOT NULL DEFAULT 0,
	CHECK (source_id IS NOT NULL OR subject != '' OR keyword != '')
) STRICT;
CREATE INDEX wire_routes_order ON wire_routes(position, id);

-- Where a source's items go when no rule matches them. Kept by name, not
-- by id, because the section may not exist yet: the first item that needs
-- it creates it.
CREATE TABLE wire_source_sections (
	source_id    INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
	section_name TEXT NOT NULL CHECK (section_name != '')
) STRICT;

-- The wire desk filters its queue by the section items were routed to.
CREATE INDEX wire_items_desk_section ON wire_items(section_id, received_at DESC, id DESC) WHERE state IN ('queued', 'offered');
