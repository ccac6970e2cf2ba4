/* A shared library that is not a suanli plugin: it exports no entry symbol. */
__attribute__((visibility("default"))) int not_a_suanli_plugin(void) { return 42; }
