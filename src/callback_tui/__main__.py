from callback_tui.cli import main

raise SystemExit(main())
