from aitrail.cli import main

raise SystemExit(main())
