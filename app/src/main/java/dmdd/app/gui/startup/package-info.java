/**
 * Wiring of the workstation: connects the screens (each its own package, which never imports another
 * screen) through their view models and the shared project and background-work types.
 */
package dmdd.app.gui.startup;
